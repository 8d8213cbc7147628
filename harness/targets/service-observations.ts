import type { ReceivedEvent, SocketClose } from './service-socket.js';
import type { StateKeyRef } from './service-state.js';

/** One ID a user got in an answer to its own request: that user is its owner. */
export interface SeenId {
  readonly domain: string;
  readonly id: string;
  readonly owner: number;
  /** The step that answered with it (`login`, `socket`, `createThread`, …). */
  readonly step: string;
  /** IDs the request named, by domain (a run's thread): the real parents. */
  readonly refs: Readonly<Record<string, string>>;
}

/** Why one user's golden path stopped early. */
export interface StepFailure {
  readonly step: string;
  /** `hang` (no answer in time), `error` (an HTTP or protocol error), `bad-answer`, `closed` (the service closed the socket). */
  readonly rule: 'hang' | 'error' | 'bad-answer' | 'closed';
  readonly what: string;
  readonly close?: SocketClose;
}

/** How long one step of one user's path took, ms (steps that succeeded only). */
export interface StepTiming {
  /** `login`, `socket`, `createThread`, `startRun`, `sendMessage`, `delivery` or `disconnect`. */
  readonly step: string;
  readonly ms: number;
}

/** One user's golden path as the client saw it. */
export interface UserPath {
  readonly owner: number;
  /** Every event its socket received, in order. */
  readonly events: readonly ReceivedEvent[];
  /** IDs of the delivery domain this user sent (each must come back to it). */
  readonly sent: readonly string[];
  /** Each step that succeeded and how long it took, in order. */
  readonly steps: readonly StepTiming[];
  readonly failure?: StepFailure;
  /** How its socket ended. */
  readonly close?: SocketClose;
  /** Login to the last delivery, ms (absent when the path failed). */
  readonly pathMs?: number;
}

/** One user's disconnect, run alone: what the service's Redis showed before and after it. */
export interface DisconnectWindow {
  readonly owner: number;
  readonly start: number;
  readonly end: number;
  /** Keys of other users present before and gone after. */
  readonly removedOthers: readonly (StateKeyRef & { readonly owner: number })[];
  /** The user's own keys still there after the cleanup wait. */
  readonly leftBehind: readonly StateKeyRef[];
  /** The user's IDs of templated domains with no key just before its own disconnect. */
  readonly missingBefore: readonly { readonly domain: string; readonly id: string }[];
}

/** Everything the service golden path observed, for the checks (which never call the service). */
export interface ServiceObservations {
  readonly service: string;
  readonly users: readonly UserPath[];
  readonly ids: readonly SeenId[];
  /** Disconnect windows in order; empty when the state is not checked. */
  readonly windows: readonly DisconnectWindow[];
  /** Why a part was not exercised, one line each. */
  readonly skipped: readonly string[];
}
