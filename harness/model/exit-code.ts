/** Process exit codes of every idgate command (DESIGN.md). */
export const ExitCode = {
  /** Every check passed. */
  Pass: 0,
  /** The target has findings: duplicates, multi-owner IDs, pattern or isolation breaks, … */
  Findings: 1,
  /** The command line or configuration is wrong; nothing was run. */
  Usage: 2,
  /** A store, container engine or ledger failed: the run proves nothing. */
  Infrastructure: 3,
} as const;

/** One of {@link ExitCode}'s values. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
