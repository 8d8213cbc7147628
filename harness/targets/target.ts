import type { DomainName } from '../model/index.js';
import type { ExtractionRule } from '../spec/index.js';

/** What a target needs to mint IDs of a domain: the owner and the parents the domain embeds. */
export interface GenerateContext {
  /** The owning user's ID (from the run's user table), for user-scoped domains. */
  readonly user?: string;
  /** The operation slug, for domains that carry one (thread). */
  readonly op?: string;
  /** Parent IDs by domain, e.g. `{ thread: 'thread_chat_…' }` when minting runs. */
  readonly parents?: Readonly<Record<DomainName, string>>;
}

/** The coupled IDs one user operation gets: a thread, a run of it and a request of that run. */
export interface UserContext {
  readonly thread: string;
  readonly run: string;
  readonly request: string;
}

/** A target's own reading of one of its IDs. */
export interface TargetIdView {
  /** The domain the target believes the ID belongs to, or `null` when it does not recognise it. */
  readonly type: DomainName | null;
  /** The owner the target reads out of the ID (a user ID or tag), where it encodes one. */
  readonly owner?: string;
  /** The parent ID the target reads out of the ID, where it encodes one. */
  readonly parent?: string;
}

/**
 * The ID system under test, as its authors implement it — in TypeScript/JavaScript for the
 * in-process adapter, or behind the JSON-lines protocol (docs/protocol.md) for the subprocess
 * adapter. Every call is bulk. Methods may throw or reject: the adapters turn that, like any
 * crash, hang or malformed answer, into a `target-failure` finding.
 */
export interface Target {
  /** Names the target in findings and reports. */
  readonly name: string;
  /** How the target reads parents out of its IDs; several when ID systems coexist. Default: none. */
  readonly extractionRules?: readonly ExtractionRule[];
  /** Mints `count` fresh IDs of `domain` for `context`. */
  generate(domain: DomainName, context: GenerateContext, count: number): readonly string[] | Promise<readonly string[]>;
  /** Mints the coupled thread, run and request IDs of one operation `op` of `user`. */
  userContext(user: string, op: string): UserContext | Promise<UserContext>;
  /** The target's own validator: for each ID, whether it accepts it as an ID of `domain`. */
  validate?(domain: DomainName, ids: readonly string[]): readonly boolean[] | Promise<readonly boolean[]>;
  /** The target's own parser: for each ID, its reading (or `null`). */
  parse?(domain: DomainName, ids: readonly string[]): readonly (TargetIdView | null)[] | Promise<readonly (TargetIdView | null)[]>;
  /** The patterns (Redis glob syntax) of the IDs and keys the target deletes when it cleans up `user`. */
  cleanupPatterns?(user: string): readonly string[] | Promise<readonly string[]>;
  /** Releases what the target holds. */
  close?(): void | Promise<void>;
}

/** What a target factory is given. */
export interface TargetFactoryOptions {
  /** The index of the worker (thread or process) this instance serves; 0 for the first. */
  readonly worker: number;
  /** Free-form options from the configuration. */
  readonly options: Readonly<Record<string, unknown>>;
}

/** Creates one target instance; a module exports it as `createTarget` (or as its default export). */
export type TargetFactory = (options: TargetFactoryOptions) => Target | Promise<Target>;
