import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError, UsageError } from './command';

type Options = NonNullable<ParseArgsConfig['options']>;

/** Thrown when `--help`/`-h` is parsed as a flag; `runCli` prints the command's usage and exits 0. */
export class HelpRequested extends CliError {
  constructor() {
    super('help requested', 0);
  }
}

const HELP = { help: { type: 'boolean', short: 'h' } } as const;

/**
 * `parseArgs` with positionals allowed and unknown flags turned into a UsageError (exit 2, usage shown). `--help`
 * or `-h` counts only where parseArgs sees a flag: not after `--`, not glued to an option as its value.
 */
export function parseCliArgs<O extends Options>(args: string[], options: O) {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { ...options, ...HELP }, allowPositionals: true, strict: true, tokens: true });
  } catch (e) {
    // Node's parser explains over several lines; the CLI's contract is one line per error.
    throw new UsageError((e as Error).message.replace(/\s*\n\s*/g, ' ').trim());
  }
  if (parsed.tokens.some((t) => t.kind === 'option' && t.name === 'help')) throw new HelpRequested();
  // Callers see exactly the options they declared.
  const { help: _help, ...values } = parsed.values as Record<string, unknown>;
  return { values, positionals: parsed.positionals } as unknown as ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>>;
}
