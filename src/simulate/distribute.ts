/**
 * Integer proportional split: floor of each share, then the remainder one by one in a stable
 * order starting at `rotate` (so no stream is always first), to entries that still have room.
 */
export function distribute(total: number, weights: ArrayLike<number>, out: Float64Array | number[], rotate = 0, n = weights.length): void {
  let sum = 0;
  for (let k = 0; k < n; k++) sum += weights[k]!;
  if (n === 0) return;
  if (sum <= 0 || total <= 0) {
    for (let k = 0; k < n; k++) out[k] = 0;
    return;
  }
  const amount = Math.min(total, sum);
  let given = 0;
  for (let k = 0; k < n; k++) {
    const share = Math.floor((amount * weights[k]!) / sum);
    out[k] = share;
    given += share;
  }
  let left = amount - given;
  const start = ((rotate % n) + n) % n;
  for (let step = 0; step < n && left > 0; step++) {
    const k = (start + step) % n;
    if (out[k]! < weights[k]!) {
      out[k] = out[k]! + 1;
      left--;
    }
  }
  // Rounding can leave a unit when every remaining entry is full; give it to any with room.
  for (let k = 0; k < n && left > 0; k++) {
    const room = weights[k]! - out[k]!;
    const add = Math.min(room, left);
    out[k] = out[k]! + add;
    left -= add;
  }
}
