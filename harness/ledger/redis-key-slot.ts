/** Hash slots of a Redis Cluster. */
export const CLUSTER_SLOTS = 16_384;

/** CRC16-CCITT (XMODEM: polynomial 0x1021, initial value 0) over `bytes[from..to)`. */
function crc16(bytes: Uint8Array, from: number, to: number): number {
  let crc = 0;
  for (let i = from; i < to; i++) {
    crc ^= bytes[i]! << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/**
 * The Redis Cluster hash slot of a key: CRC16 of the key modulo 16 384, where a key holding a
 * non-empty `{…}` hashes only what lies between its first `{` and the next `}` (the hash tag),
 * so keys sharing a tag share a slot and one script or multi-key command may touch them all.
 */
export function keySlot(key: string | Uint8Array): number {
  const b = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
  const open = b.indexOf(0x7b);
  if (open >= 0) {
    const close = b.indexOf(0x7d, open + 1);
    if (close > open + 1) return crc16(b, open + 1, close) % CLUSTER_SLOTS;
  }
  return crc16(b, 0, b.length) % CLUSTER_SLOTS;
}
