/** jest setupFilesAfterEnv: wires the whole-run log scan (see log-guard.ts) into every test file. */
import { scanLogLine, takeOffendingLogLines } from './log-guard.js';

const originalWrite = process.stderr.write.bind(process.stderr);
process.stderr.write = ((chunk: unknown, ...rest: unknown[]) => {
  const text = typeof chunk === 'string' ? chunk : chunk instanceof Uint8Array ? Buffer.from(chunk).toString('utf8') : '';
  for (const line of text.split('\n')) if (line.includes('"source":"twiml-guard"')) scanLogLine(line);
  return (originalWrite as (...args: unknown[]) => boolean)(chunk, ...rest);
}) as typeof process.stderr.write;

afterAll(() => {
  expect(takeOffendingLogLines()).toEqual([]);
});
