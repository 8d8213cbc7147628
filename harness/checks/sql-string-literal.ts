/**
 * A ClickHouse string literal holding `text` exactly: backslash and quote escaped, control
 * characters as escapes. Only for text idgate derives itself (a spec's regex, a validated domain
 * name) — IDs never go into SQL text, they travel as insert data.
 */
export function sqlStringLiteral(text: string): string {
  let out = "'";
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === "'") out += "\\'";
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return `${out}'`;
}
