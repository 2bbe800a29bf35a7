/** The `twiml-guard` command line: dispatch, help, and one-line failures with exit codes. */
import { UsageError } from './args.js';
import { diagnoseCommand } from './diagnose-command.js';
import { CliFailure, type CliIo } from './io.js';
import { newCommand } from './new-command.js';
import { sendCommand } from './send-command.js';
import { signCommand } from './sign-command.js';

export const MAIN_HELP = `Usage: twiml-guard <command> [options]

Commands:
  send <url>        sign a webhook like Twilio and send it (presets: sms, mms, call, ...)
  sign <url>        print the X-Twilio-Signature for a URL and body, and a ready curl command
  diagnose          explain why a captured request's signature does or does not validate
  new <template>    create a standalone project from a template for one cloud

Run twiml-guard <command> --help for a command's options.
Exit codes: 0 success, 1 failure, 2 wrong usage.`;

const COMMANDS: Readonly<Record<string, (argv: readonly string[], io: CliIo) => Promise<number>>> = {
  send: sendCommand,
  sign: signCommand,
  diagnose: diagnoseCommand,
  new: newCommand,
};

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.out(MAIN_HELP);
    return command === undefined ? 2 : 0;
  }
  const run = COMMANDS[command];
  if (!run) {
    io.err(`twiml-guard: unknown command "${command}" (commands: ${Object.keys(COMMANDS).join(', ')}; see --help)`);
    return 2;
  }
  try {
    return await run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`twiml-guard ${command}: ${error.message} (see twiml-guard ${command} --help)`);
      return 2;
    }
    if (error instanceof CliFailure) {
      io.err(`twiml-guard ${command}: ${error.message}`);
      return 1;
    }
    io.err(`twiml-guard ${command}: ${oneLine(error)}`);
    return 1;
  }
}

function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? 'failed';
}
