import type { DomainName } from './domain-name.js';

/**
 * One message of the golden flow as an emulated server routed it, run → thread → connection,
 * with the target's own parser: the thread it read out of the run, the connection that thread
 * was opened on, and every user whose live connection the target's parser gives the same owner
 * (a server fans a message out to "the user's connections" by that owner).
 */
export interface RoutedMessage {
  /** The sender: index in the user table. */
  readonly owner: number;
  readonly message: string;
  readonly run: string;
  /** The thread the target's parser reads out of the run (absent: it reads none). */
  readonly thread?: string;
  /** The connection that thread was opened on (absent: no such thread is open). */
  readonly connection?: string;
  /** The users the message reached. */
  readonly recipients: readonly number[];
}

/** One key the flow wrote into real Redis for a user: the ID it stands for. */
export interface StateKey {
  readonly id: string;
  readonly domain: DomainName;
  readonly owner: number;
  /** Position in the exercise's order of Redis operations. */
  readonly at: number;
}

/** One user's cleanup: the target's declared patterns, applied with SCAN MATCH and DEL. */
export interface UserCleanup {
  readonly owner: number;
  readonly patterns: readonly string[];
  readonly at: number;
  /** Indexes into {@link CleanupExercise.keys} of the keys the patterns matched (and that were deleted). */
  readonly matched: readonly number[];
}

/** A SCAN of the whole exercise namespace: which keys were still there. */
export interface StateScan {
  readonly at: number;
  /** Indexes into {@link CleanupExercise.keys}. */
  readonly present: readonly number[];
}

/**
 * The cleanup exercise in real Redis: every key written (under the run's own prefix), every
 * user's cleanup in the order it ran, and SCANs of the namespace taken halfway and at the end.
 */
export interface CleanupExercise {
  readonly prefix: string;
  readonly keys: readonly StateKey[];
  readonly cleanups: readonly UserCleanup[];
  readonly scans: readonly StateScan[];
}

/**
 * What one execution of the golden flow observed beyond the ID batches, for the cleanup and
 * routing checks (which never call the target themselves): the workload produces it, the
 * checks judge it. It lives in the shared vocabulary because both layers speak it.
 */
export interface FlowObservations {
  readonly target: string;
  /** The users that took part (indexes into the user table). */
  readonly users: readonly number[];
  /** Absent when the target has no parser: routing was not exercised. */
  readonly routed?: readonly RoutedMessage[];
  /** Absent when there is no Redis or the target declares no cleanup. */
  readonly cleanup?: CleanupExercise;
  /** Why a part was not exercised, one line each. */
  readonly skipped: readonly string[];
}
