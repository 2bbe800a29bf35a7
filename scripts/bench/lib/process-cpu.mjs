// CPU time (user + system, all threads) a process has used so far, from /proc (Linux), in ms.
// Server CPU per request is steadier than requests/s on a shared, busy machine.
import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ, 100 on every mainstream Linux build

/**
 * @param {number | undefined} pid
 * @returns {number | undefined} undefined when the process (or /proc) is not there
 */
export function processCpuMs(pid) {
  try {
    // Fields after "(comm) ": state is the 1st, utime the 12th, stime the 13th.
    const fields = (readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1] ?? '').split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}
