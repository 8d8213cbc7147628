/**
 * Faults the golden flow injects, as profile data:
 * - `restart-mid-flow`: worker 0's instance is replaced by a fresh one once half the users
 *   are through (a deploy or crash while users are connected);
 * - `clock-backwards` / `clock-frozen`: every target instance is started with the factory
 *   option `clock` set to `backwards` (the clock steps back on every other reading) or `frozen`
 *   (it never moves); targets that honour the option (the reference does) must still mint
 *   unique IDs with ordered timestamps.
 */
export type FlowFault = 'restart-mid-flow' | 'clock-backwards' | 'clock-frozen';

/** The golden-path flow of a profile: how much each user does, and the faults injected. */
export interface FlowProfile {
  /** Users taken through the flow (the first ones of the user table); at most the profile's users. */
  readonly users: number;
  /** Requests per run (the first comes from `userContext`). Default 3. */
  readonly requestsPerRun?: number;
  /** Tool executions per agent execution. Default 2. */
  readonly toolsPerAgent?: number;
  /** Messages each user sends, each routed run → thread → connection. Default 3. */
  readonly messagesPerUser?: number;
  /** Faults injected. Default none. */
  readonly faults?: readonly FlowFault[];
  /** How long a failing interleaving may shrink, in ms. Default 15 000. */
  readonly shrinkTimeLimitMs?: number;
}
