import { UsageError } from '../model/index.js';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/**
 * Returns `name` quoted as a ClickHouse identifier after checking it holds only ASCII letters,
 * digits and `_` (at most 128, not starting with a digit). Only such names ever reach SQL text;
 * IDs never do — they travel as insert data.
 */
export function sqlIdentifier(api: string, name: string): string {
  if (typeof name !== 'string' || !IDENTIFIER.test(name)) {
    throw new UsageError(
      'IDGATE_BAD_SQL_IDENTIFIER',
      `${api}: ${JSON.stringify(name)} is not a safe SQL identifier`,
      'use ASCII letters, digits and _ only, starting with a letter or _, at most 128 characters',
    );
  }
  return `\`${name}\``;
}
