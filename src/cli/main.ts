#!/usr/bin/env node
// `llmgenie`: the headless face of the same core the extension uses. Each area contributes its commands.
import { WorkspaceLessons } from '../core/lessons/workspaceLessons';
import { nodeFileSystem } from '../core/platform/fileSystem';
import { createAgentsCommands } from './commands/agents';
import { createAskCommand } from './commands/ask';
import { createCheckCommand } from './commands/check';
import { createHandoffCommands } from './commands/handoff';
import { commands as lessonsCommands } from './commands/lessons';
import { commands as mcpCommands } from './commands/mcp';
import { commands as routeCommands } from './commands/route';
import { commands as rulesCommands } from './commands/rules';
import { commands as sessionsCommands, openCliSessionSink } from './commands/sessions';
import { HelpRequested } from './args';
import { WorkspaceSettingError } from '../core/platform/workspacePath';
import { CliError, UsageError, type CliCommand, type CliIO } from './command';

/** Every command, with headless work logged to the session store of the workspace `io` runs in. */
export function defaultCommands(io: CliIO): CliCommand[] {
  const sink = openCliSessionSink(io); // lazy: no session file until a command logs an event
  return [
    ...rulesCommands,
    createCheckCommand({ sink }),
    ...routeCommands,
    createAskCommand({ sink: () => sink, lessonSearch: (io2) => new WorkspaceLessons({ fs: nodeFileSystem, root: io2.cwd, watched: true }).search }),
    ...createHandoffCommands({ sink }),
    ...lessonsCommands,
    ...sessionsCommands,
    ...mcpCommands,
    ...createAgentsCommands({ sink: () => sink }),
  ];
}

export function findCommand(argv: string[], all: readonly CliCommand[]): { command: CliCommand; rest: string[] } | undefined {
  let best: CliCommand | undefined;
  for (const c of all) {
    if (c.words.every((w, i) => argv[i] === w) && (!best || c.words.length > best.words.length)) best = c;
  }
  return best && { command: best, rest: argv.slice(best.words.length) };
}

export function helpText(all: readonly CliCommand[]): string {
  const width = Math.max(...all.map((c) => c.words.join(' ').length));
  return `llmgenie: local/cloud LLM routing, rules, lessons, handoffs and sessions for your workspace\n\nUsage: llmgenie <command> [options]\n\n${all
    .map((c) => `  ${c.words.join(' ').padEnd(width)}  ${c.summary}`)
    .join('\n')}\n\nRun "llmgenie <command> --help" for a command's options.\n`;
}

export async function runCli(argv: string[], io: CliIO, all: readonly CliCommand[] = defaultCommands(io)): Promise<number> {
  if (!argv.length || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
    io.out(helpText(all));
    return argv.length ? 0 : 2;
  }
  if (argv[0] === '--version') {
    io.out(`${process.env.LLMGENIE_VERSION ?? 'dev'}\n`);
    return 0;
  }
  const found = findCommand(argv, all);
  if (!found) {
    io.err(`llmgenie: unknown command "${argv.join(' ')}"\n\n${helpText(all)}`);
    return 2;
  }
  const help = (): number => {
    io.out(`${found.command.summary}\n\nUsage: ${found.command.usage}\n`);
    return 0;
  };
  // Right after the command words `--help`/`-h` is always help; further on only the command's parser can tell a
  // flag from an option value or a positional (`ask what does -h do`), so it throws HelpRequested for a flag.
  if (found.rest[0] === '--help' || found.rest[0] === '-h') return help();
  try {
    return await found.command.run(found.rest, io);
  } catch (e) {
    if (e instanceof HelpRequested) return help();
    // A path setting pointing outside the workspace is unusable input, named by its setting, from any command.
    if (e instanceof WorkspaceSettingError) {
      io.err(`llmgenie ${found.command.words.join(' ')}: ${e.message}\n`);
      return 2;
    }
    if (e instanceof CliError) {
      io.err(`llmgenie ${found.command.words.join(' ')}: ${e.message}\n${e instanceof UsageError ? `Usage: ${found.command.usage}\n` : ''}`);
      return e.exitCode;
    }
    io.err(`llmgenie ${found.command.words.join(' ')}: unexpected error: ${(e as Error)?.message ?? String(e)}\n(set LLMGENIE_DEBUG=1 for details)\n`);
    if (process.env.LLMGENIE_DEBUG) io.err(`${(e as Error)?.stack}\n`);
    return 2;
  }
}

export const processIO: CliIO = {
  cwd: process.cwd(),
  env: process.env,
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
  readStdin: async () => {
    if (process.stdin.isTTY) return '';
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
};

/**
 * `llmgenie ... | head` closes stdout early: that is the reader's choice, not an error, so exit quietly with the
 * exit code so far. Any other stdout failure gets one line on stderr instead of an unhandled 'error' stack trace.
 */
export function onStdoutError(e: NodeJS.ErrnoException, exit: (code: number) => void, err: (text: string) => void): void {
  const current = typeof process.exitCode === 'number' ? process.exitCode : Number(process.exitCode ?? 0) || 0;
  if (e.code === 'EPIPE') return exit(current);
  err(`llmgenie: cannot write to stdout: ${e.message.split('\n')[0]}\n`);
  exit(current || 2);
}

if (require.main === module) {
  process.stdout.on('error', (e: NodeJS.ErrnoException) =>
    onStdoutError(
      e,
      (code) => process.exit(code),
      (t) => void process.stderr.write(t),
    ),
  );
  // With stderr gone too there is nowhere left to report to; don't crash trying.
  process.stderr.on('error', () => undefined);
  runCli(process.argv.slice(2), processIO).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`llmgenie: ${(e as Error).message}\n`);
      process.exitCode = 2;
    },
  );
}
