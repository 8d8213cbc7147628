import type { RoutedMessage } from '../model/index.js';

/**
 * The message router of an emulated chat server: connections registered under the owner the
 * target's parser reads out of the connection ID, threads registered on the connection they
 * were opened on. Routing a message of a run reads the run's thread with the target's parser,
 * finds that thread's connection, and fans out to every live connection with the same owner.
 */
export class FlowRouter {
  readonly #byOwner = new Map<string, Set<string>>();
  readonly #conn = new Map<string, { user: number; owner: string | undefined }>();
  readonly #threads = new Map<string, string>();
  readonly routed: RoutedMessage[] = [];

  /** `user` opened `connection`, which the target's parser says belongs to `owner`. */
  connect(user: number, connection: string, owner: string | undefined): void {
    this.#conn.set(connection, { user, owner });
    if (owner === undefined) return;
    const set = this.#byOwner.get(owner) ?? new Set<string>();
    set.add(connection);
    this.#byOwner.set(owner, set);
  }

  /** `thread` was opened on `connection`. */
  openThread(thread: string, connection: string): void {
    this.#threads.set(thread, connection);
  }

  /** Closes `connection`: nothing is delivered to it any more. */
  disconnect(connection: string): void {
    const c = this.#conn.get(connection);
    this.#conn.delete(connection);
    if (c?.owner !== undefined) this.#byOwner.get(c.owner)?.delete(connection);
  }

  /** Routes `message` of `run`, sent by `owner`, whose thread the target's parser reads as `thread`. */
  route(owner: number, message: string, run: string, thread: string | undefined): RoutedMessage {
    const connection = thread === undefined ? undefined : this.#threads.get(thread);
    const c = connection === undefined ? undefined : this.#conn.get(connection);
    const recipients = new Set<number>();
    if (c !== undefined) {
      if (c.owner === undefined) recipients.add(c.user);
      else for (const other of this.#byOwner.get(c.owner) ?? []) recipients.add(this.#conn.get(other)!.user);
    }
    const r: RoutedMessage = { owner, message, run, ...(thread === undefined ? {} : { thread }), ...(connection === undefined ? {} : { connection }), recipients: [...recipients].sort((a, b) => a - b) };
    this.routed.push(r);
    return r;
  }
}
