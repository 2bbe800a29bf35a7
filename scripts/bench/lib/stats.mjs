// Small number helpers shared by the sections: medians, timed loops, human-readable figures.

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Median µs per call of the async `fn`, from `samples` timed batches of `batch` calls, after a warm-up.
 * Timed in process CPU time (user + system), not wall time: on a shared, busy machine the process is
 * descheduled at random, which inflates wall time but not the work a call costs.
 */
export async function medianMicros(fn, { samples = 100, batch = 100, warmup = batch * 20 } = {}) {
  for (let i = 0; i < warmup; i++) await fn();
  const perCall = [];
  for (let s = 0; s < samples; s++) {
    const start = process.cpuUsage();
    for (let i = 0; i < batch; i++) await fn();
    const used = process.cpuUsage(start);
    perCall.push((used.user + used.system) / batch);
  }
  return median(perCall);
}

export function kilobytes(bytes) {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(2)} MB` : `${(bytes / 1024).toFixed(1)} KB`;
}

export const ms = (value) => `${value.toFixed(1)} ms`;
export const us = (value) => `${value.toFixed(2)} µs`;

/** "1/37" style ratio of ours to theirs (theirs / ours), or "n/a" when ours is 0. */
export function fraction(ours, theirs) {
  return ours > 0 ? `1/${(theirs / ours).toFixed(theirs / ours >= 10 ? 0 : 1)}` : 'n/a';
}
