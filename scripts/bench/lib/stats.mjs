// Small number helpers shared by the sections: medians, timed loops, human-readable figures.

/**
 * @param {readonly number[]} values
 * @returns {number} NaN for no values
 */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const at = (/** @type {number} */ index) => sorted[index] ?? NaN;
  return sorted.length % 2 ? at(middle) : (at(middle - 1) + at(middle)) / 2;
}

/**
 * CPU µs per call of the async `fn`: the process's CPU time (user + system, all threads, so garbage
 * collection included) over `samples` batches of `batch` calls, divided by the calls, after a warm-up.
 * CPU time, not wall time: on a shared, busy machine the process is descheduled at random, which
 * inflates wall time but not the work a call costs. A mean, not a median of batches: the median would
 * leave out the batches in which the calls' garbage is collected.
 * @param {() => unknown} fn
 * @param {{ samples?: number, batch?: number, warmup?: number }} [options]
 */
export async function cpuMicrosPerCall(fn, { samples = 100, batch = 100, warmup = batch * 20 } = {}) {
  for (let i = 0; i < warmup; i++) await fn();
  const start = process.cpuUsage();
  for (let i = 0; i < samples * batch; i++) await fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / (samples * batch);
}

/** @param {number} bytes */
export function kilobytes(bytes) {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(2)} MB` : `${(bytes / 1024).toFixed(1)} KB`;
}

/** @param {number} value */
export const ms = (value) => `${value.toFixed(1)} ms`;
/** @param {number} value */
export const us = (value) => `${value.toFixed(2)} µs`;

/** "1/37" style ratio of ours to theirs (theirs / ours), or "n/a" when ours is 0.
 * @param {number} ours
 * @param {number} theirs
 */
export function fraction(ours, theirs) {
  return ours > 0 ? `1/${(theirs / ours).toFixed(theirs / ours >= 10 ? 0 : 1)}` : 'n/a';
}
