import type { ExtractionRule } from '../spec/index.js';
import type { TargetRequest } from './target-request.js';
import type { PackedStrings } from './worker-string-pack.js';

/** What a worker thread is started with (its `workerData`). */
export interface WorkerStartData {
  /** File URL of the module exporting the target factory. */
  readonly moduleUrl: string;
  /** The module path as the user gave it, for messages. */
  readonly module: string;
  /** The export holding the factory; undefined: `createTarget`, then the default export. */
  readonly exportName: string | undefined;
  /** The worker index handed to the factory. */
  readonly worker: number;
  /** Free-form options handed to the factory. */
  readonly options: Readonly<Record<string, unknown>>;
}

/** The thread's first message: the target it created, or why there is none. */
export type WorkerHello =
  | {
      readonly type: 'hello';
      readonly name: string;
      readonly capabilities: { readonly validate: boolean; readonly parse: boolean; readonly cleanupPatterns: boolean };
      readonly extractionRules: readonly ExtractionRule[];
    }
  /** `module`: the module cannot be imported or exports no factory (the user's mistake); `crash` / `handshake`: the target's fault. */
  | { readonly type: 'start-failed'; readonly reason: 'module' | 'crash' | 'handshake'; readonly message: string };

/**
 * A request to the thread. The IDs of `validate` and `parse` travel as {@link PackedStrings}
 * (moved, not cloned); other requests are cloned as they are.
 */
export type WorkerRequest =
  | { readonly type: 'call'; readonly id: number; readonly request: Exclude<TargetRequest, { readonly ids: readonly string[] }> }
  | { readonly type: 'call'; readonly id: number; readonly request: Omit<Extract<TargetRequest, { readonly ids: readonly string[] }>, 'ids'>; readonly ids: PackedStrings }
  | { readonly type: 'close' };

/**
 * The thread's answer to request `id`: string arrays packed, boolean arrays as bytes (0, 1), other
 * values — and string arrays that cannot be packed — cloned as the target gave them.
 */
export type WorkerReply =
  | { readonly type: 'answer'; readonly id: number; readonly ok: true; readonly strings: PackedStrings }
  | { readonly type: 'answer'; readonly id: number; readonly ok: true; readonly booleans: Uint8Array }
  | { readonly type: 'answer'; readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly type: 'answer'; readonly id: number; readonly ok: false; readonly error: string }
  | { readonly type: 'closed'; readonly error?: string };
