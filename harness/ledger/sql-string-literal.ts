import { UsageError } from '../model/index.js';

/**
 * `text` as a ClickHouse string literal (`'…'`, with `\` and `'` escaped). Only for text idgate
 * derives itself — domain names, prefixes, regexes from the spec's one RE2 escaper — and so
 * restricted to printable ASCII: an ID never reaches SQL text (IDs travel as insert data), and
 * this refuses anything that could be one from outside. `api` names the caller in the error.
 */
export function sqlStringLiteral(api: string, text: string): string {
  if (!/^[\x20-\x7e]*$/.test(text)) {
    throw new UsageError('IDGATE_SQL_LITERAL', `${api}: ${JSON.stringify(text)} is not printable ASCII, so it is not put into SQL`, 'use domain specs whose prefixes, separators and alphabets are printable ASCII');
  }
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
