/** `<Gather>`: collects digits or speech while its nested Say/Play/Pause run. */
import { PromptVerbs } from './prompt-verbs.js';

export class Gather extends PromptVerbs {}
