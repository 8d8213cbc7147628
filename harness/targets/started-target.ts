import type { DomainName, Finding } from '../model/index.js';
import type { ExtractionRule } from '../spec/index.js';
import type { GenerateContext, TargetIdView, UserContext } from './target.js';

/** An answer from a started target, or the `target-failure` finding explaining why there is none. */
export type TargetOutcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly finding: Finding };

/** The optional calls a target supports. */
export interface TargetCapabilities {
  readonly validate: boolean;
  readonly parse: boolean;
  readonly cleanupPatterns: boolean;
}

/** Bounds on every wait, in milliseconds. */
export interface TargetTimeouts {
  /** Start (module import and factory, or process spawn and handshake). Default 10 000. */
  readonly startMs?: number;
  /** Any one request. Default 30 000. */
  readonly requestMs?: number;
  /** Stop (close, or the process exiting after its stdin closes) before it is killed. Default 5 000. */
  readonly stopMs?: number;
}

/** {@link TargetTimeouts} with defaults filled in. */
export function resolveTimeouts(t: TargetTimeouts = {}): Required<TargetTimeouts> {
  return { startMs: t.startMs ?? 10_000, requestMs: t.requestMs ?? 30_000, stopMs: t.stopMs ?? 5_000 };
}

/**
 * A running target, as an adapter hands it out after `start()`. Calls never throw for faults of
 * the target: crashes, hangs, garbage and malformed answers come back as `target-failure`
 * findings, each wait bounded by {@link TargetTimeouts}. After a crash, hang or garbage every
 * later call fails at once. Calls only throw `UsageError` for the harness's own mistakes (a bad
 * count, a call the target does not support).
 */
export interface StartedTarget {
  readonly name: string;
  readonly capabilities: TargetCapabilities;
  readonly extractionRules: readonly ExtractionRule[];
  /** Exactly `count` IDs, checked to be strings. */
  generate(domain: DomainName, context: GenerateContext, count: number): Promise<TargetOutcome<readonly string[]>>;
  userContext(user: string, op: string): Promise<TargetOutcome<UserContext>>;
  validate(domain: DomainName, ids: readonly string[]): Promise<TargetOutcome<readonly boolean[]>>;
  parse(domain: DomainName, ids: readonly string[]): Promise<TargetOutcome<readonly (TargetIdView | null)[]>>;
  cleanupPatterns(user: string): Promise<TargetOutcome<readonly string[]>>;
  /** Stops the target, bounded by the stop timeout (a process that does not exit is killed). */
  stop(): Promise<StoppedTarget>;
}

/** A target after `stop()`: what happened to it. */
export interface StoppedTarget {
  readonly name: string;
  /** Every `target-failure` finding of its life, including one for a failed stop. */
  readonly findings: readonly Finding[];
  /** Requests answered. */
  readonly requests: number;
}
