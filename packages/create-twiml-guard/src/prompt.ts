/** Asks for what the command line left out, one question at a time (only ever on a terminal). */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

export interface Terminal {
  readonly input: Readable;
  readonly output: Writable;
}

export interface Prompter {
  /** One of `choices`, by number or by name; asks again until the answer is one of them. */
  choose(question: string, choices: readonly string[]): Promise<string>;
  /** Free text; an empty answer takes `fallback`. */
  ask(question: string, fallback: string): Promise<string>;
  close(): void;
}

export class PromptClosed extends Error {}

/** One readline interface and a queue of its lines, so answers typed ahead are never lost between questions. */
export function createPrompter(terminal: Terminal): Prompter {
  const rl = createInterface({ input: terminal.input, terminal: false });
  const lines: string[] = [];
  const waiting: { resolve: (line: string) => void; reject: (error: Error) => void }[] = [];
  let closed = false;
  rl.on('line', (line) => {
    const next = waiting.shift();
    if (next) next.resolve(line);
    else lines.push(line);
  });
  rl.once('close', () => {
    closed = true;
    for (const next of waiting.splice(0)) next.reject(new PromptClosed('input ended before every question was answered'));
  });
  const question = (text: string): Promise<string> => {
    terminal.output.write(text);
    const line = lines.shift();
    if (line !== undefined) return Promise.resolve(line.trim());
    if (closed) return Promise.reject(new PromptClosed('input ended before every question was answered'));
    return new Promise<string>((resolve, reject) => waiting.push({ resolve: (answer) => resolve(answer.trim()), reject }));
  };
  return {
    async choose(text, choices) {
      const list = choices.map((choice, index) => `  ${index + 1}) ${choice}`).join('\n');
      for (;;) {
        const answer = await question(`${text}\n${list}\n> `);
        const picked = /^\d+$/.test(answer) ? choices[Number(answer) - 1] : choices.find((choice) => choice === answer);
        if (picked !== undefined) return picked;
        terminal.output.write(`Answer with a number from 1 to ${choices.length}, or a name from the list.\n`);
      }
    },
    async ask(text, fallback) {
      return (await question(`${text} (${fallback}) `)) || fallback;
    },
    close() {
      rl.close();
    },
  };
}
