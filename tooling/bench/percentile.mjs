/** The nearest-rank `p`th percentile (0 < p <= 100) of samples sorted in ascending order. */
export function percentile(sorted, p) {
  return sorted[Math.max(0, Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1))];
}
