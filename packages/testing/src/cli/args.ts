/** A small argv parser: `--name value`, `--name=value`, boolean `--flag`, repeatable flags, `--` ends flags. */

export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  /** Repeatable: every value is kept, in order. */
  readonly multiple?: boolean;
}

export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

export interface ParsedArgs {
  readonly positionals: readonly string[];
  readonly strings: ReadonlyMap<string, readonly string[]>;
  readonly booleans: ReadonlySet<string>;
}

/** A mistake in how the command was called (exit code 2). */
export class UsageError extends Error {}

export function parseArgs(argv: readonly string[], specs: FlagSpecs): ParsedArgs {
  const positionals: string[] = [];
  const strings = new Map<string, string[]>();
  const booleans = new Set<string>();
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] as string;
    if (arg === '--') {
      positionals.push(...argv.slice(index + 1));
      break;
    }
    if (arg === '-h') {
      booleans.add('help');
      continue;
    }
    if (!arg.startsWith('--') || arg === '-') {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const spec = specs[name];
    if (!spec) throw new UsageError(`unknown option --${name}`);
    if (spec.type === 'boolean') {
      if (eq !== -1) throw new UsageError(`--${name} takes no value`);
      booleans.add(name);
      continue;
    }
    let value: string | undefined;
    if (eq !== -1) {
      value = arg.slice(eq + 1);
    } else {
      value = argv[index + 1];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      index++;
    }
    const values = strings.get(name) ?? [];
    if (values.length > 0 && !spec.multiple) throw new UsageError(`--${name} given twice`);
    values.push(value);
    strings.set(name, values);
  }
  return { positionals, strings, booleans };
}

export function single(args: ParsedArgs, name: string): string | undefined {
  return args.strings.get(name)?.[0];
}

export function all(args: ParsedArgs, name: string): readonly string[] {
  return args.strings.get(name) ?? [];
}

/** `K=V` (params) or `K:V` (headers): split at the first separator; the value may be empty. */
export function splitPair(text: string, separator: '=' | ':', flag: string): [string, string] {
  const at = text.indexOf(separator);
  if (at <= 0) throw new UsageError(`--${flag} expects NAME${separator}VALUE, got "${text}"`);
  const value = text.slice(at + 1);
  return [text.slice(0, at).trim(), separator === ':' ? value.replace(/^[ \t]+/, '') : value];
}
