/** What a CLI command sees of the outside world; tests pass their own. */
export interface CliIO {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  out(text: string): void;
  err(text: string): void;
  readStdin(): Promise<string>;
}

/**
 * One `llmgenie <words...>` command. Exit codes across the CLI: 0 clean, 1 findings/failed check, 2 unusable input
 * or usage error. Commands never print a stack trace: they throw CliError (or UsageError) with a one-line message.
 */
export interface CliCommand {
  /** The words that select it, e.g. ['rules', 'lint']. */
  readonly words: readonly string[];
  readonly summary: string;
  readonly usage: string;
  run(args: string[], io: CliIO): Promise<number>;
}

export class CliError extends Error {
  constructor(message: string, readonly exitCode = 2) {
    super(message);
  }
}

export class UsageError extends CliError {}
