/**
 * Orders IDs by their UTF-8 bytes, as Redis and ClickHouse do, so that every ledger lists
 * examples in the same order (JS's default sort compares UTF-16 code units and disagrees
 * beyond the Basic Multilingual Plane).
 */
export function compareIds(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
