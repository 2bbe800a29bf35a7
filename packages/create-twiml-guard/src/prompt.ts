/** Asks for what the command line left out, one question at a time (only ever on a terminal). */
import { createInterface } from 'node:readline/promises';
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

/** One readline interface for every question, so answers typed ahead are never lost between them. */
export function createPrompter(terminal: Terminal): Prompter {
  const rl = createInterface({ input: terminal.input, output: terminal.output, terminal: false });
  let closed = false;
  rl.once('close', () => {
    closed = true;
  });
  const question = async (text: string): Promise<string> => {
    if (closed) throw new PromptClosed('input ended before every question was answered');
    const answer = new Promise<string>((resolve, reject) => {
      rl.once('close', () => reject(new PromptClosed('input ended before every question was answered')));
      rl.question(text).then(resolve, reject);
    });
    return (await answer).trim();
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
