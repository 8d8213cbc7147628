import { ExitCode } from './exit-code.js';

/**
 * An error a user can meet: a stable `code`, a message that starts with the API or command
 * that raised it, and a `remedy` saying what to do. Findings about the target are not errors.
 */
export class IdgateError extends Error {
  /** Stable, greppable identifier, e.g. `IDGATE_STORE_MISSING`. */
  readonly code: string;
  /** What the user should do about it. */
  readonly remedy: string;
  /** The exit code a command ends with when this error reaches it. */
  readonly exitCode: ExitCode;

  constructor(code: string, message: string, remedy: string, exitCode: ExitCode, options?: ErrorOptions) {
    super(`${message}\n  → ${remedy}`, options);
    this.name = new.target.name;
    this.code = code;
    this.remedy = remedy;
    this.exitCode = exitCode;
  }
}

/** Bad input: a flag, a config value, a batch that breaks the rules. Exit 2. */
export class UsageError extends IdgateError {
  constructor(code: string, message: string, remedy: string, options?: ErrorOptions) {
    super(code, message, remedy, ExitCode.Usage, options);
  }
}

/** A store, a server process or a container engine failed. Exit 3; never a pass. */
export class InfrastructureError extends IdgateError {
  constructor(code: string, message: string, remedy: string, options?: ErrorOptions) {
    super(code, message, remedy, ExitCode.Infrastructure, options);
  }
}
