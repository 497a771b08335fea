// Percentiles of latency samples, in milliseconds.

export function latencySummary(samples) {
  const count = samples.length;
  if (count === 0) return { p50: null, p99: null, max: null };
  const sorted = Float64Array.from(samples).sort();
  const at = (q) => sorted[Math.min(count - 1, Math.floor(q * count))];
  return { p50: round(at(0.5)), p99: round(at(0.99)), max: round(sorted[count - 1]) };
}

const round = (ms) => Math.round(ms * 1000) / 1000;
