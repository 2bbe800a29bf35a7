import { PromptVerbs } from './prompt-verbs.js';

/** `<Gather>`: collects digits or speech while its nested Say/Play/Pause run. */
export class Gather extends PromptVerbs {}
