/**
 * How strongly one position's symbol depends on the same position of the previous value (lag 1,
 * minting order): a χ² test of independence over the observed transition table, as a normal z
 * (Wilson–Hilferty). A clock- or counter-derived position scores in the hundreds; independent
 * symbols near 0. Tables too sparse for χ² (fewer than 5 expected per cell) score 0. Also returns
 * the share of values a lag-1 predictor (the commonest successor of the previous symbol) gets
 * right, which bounds the position's min-entropy when it depends on its predecessor.
 */
export function lagDependence(transitions: ArrayLike<number>, offset: number, symbols: number): { readonly z: number; readonly predicted: number; readonly pairs: number } {
  const rows = new Float64Array(symbols);
  const cols = new Float64Array(symbols);
  let total = 0;
  let hits = 0;
  for (let a = 0; a < symbols; a++) {
    let best = 0;
    for (let b = 0; b < symbols; b++) {
      const o = transitions[offset + a * symbols + b]!;
      rows[a]! += o;
      cols[b]! += o;
      if (o > best) best = o;
    }
    total += rows[a]!;
    hits += best;
  }
  const r = rows.filter((x) => x > 0).length;
  const c = cols.filter((x) => x > 0).length;
  const df = (r - 1) * (c - 1);
  if (total === 0 || df < 1 || total < 5 * r * c) return { z: 0, predicted: total === 0 ? 0 : hits / total, pairs: total };
  let chi = 0;
  for (let a = 0; a < symbols; a++) {
    if (rows[a] === 0) continue;
    for (let b = 0; b < symbols; b++) {
      if (cols[b] === 0) continue;
      const e = (rows[a]! * cols[b]!) / total;
      const d = transitions[offset + a * symbols + b]! - e;
      chi += (d * d) / e;
    }
  }
  const v = 2 / (9 * df);
  return { z: (Math.cbrt(chi / df) - (1 - v)) / Math.sqrt(v), predicted: hits / total, pairs: total };
}
