/** What the global setup tells the suites about the golden flow of the run. */
export interface GoldenFlowSummary {
  /** Whether the profile has a golden flow at all. */
  readonly planned: boolean;
  /** Users the profile takes through the flow. */
  readonly plannedUsers: number;
  /** Whether it ran (it does not after a target failure in the bulk workload). */
  readonly ran: boolean;
  readonly users: number;
  readonly steps: number;
  readonly idsMinted: number;
  /** Parts not exercised, and why. */
  readonly skipped: readonly string[];
  /** fast-check's seed and path of the smallest failing interleaving, when one was found. */
  readonly counterexample?: { readonly seed: number; readonly path: string; readonly users: readonly number[] };
}

declare module 'vitest' {
  export interface ProvidedContext {
    idgateFlow: GoldenFlowSummary;
  }
}
