// `llmgenie ask`: one routed task from the terminal, streamed to stdout (notices on stderr).
import { parseArgs } from 'node:util';
import { isAbsolute, resolve } from 'node:path';
import { nodeFileSystem, type FileSystem } from '../../core/platform/fileSystem';
import { nullSink, type SessionEventSink } from '../../core/sessions/sink';
import { COMMANDS, normaliseCommand } from '../../core/router/prompts';
import { workspaceFeedback } from '../../core/router/feedback';
import { runTask, type RunEvent, type TaskResult } from '../../core/router/runTask';
import { createProviders, providerConfigFromEnv, routerSettingsFromEnv } from '../../core/router/setup';
import { nodeFileAccess, type LessonSearch } from '../../core/router/tools';
import { workspaceTools } from '../../core/router/workspaceTools';
import { CliError, UsageError, type CliCommand, type CliIO } from '../command';

const MODES = ['auto', 'local', 'cloud'] as const;
type Mode = (typeof MODES)[number];

const USAGE = `llmgenie ask "<prompt>" [--context-file F] [--route auto|local|cloud] [--command C] [--json]
  Routes the task to the local Ollama model or to Claude, streams the answer to stdout, notices to stderr.
  "<prompt>" "-"       read the prompt from stdin
  --context-file F     add file F (relative to the current folder) as context
  --route R            auto (default: the classifier decides, weak local answers escalate), local or cloud (forced)
  --command C          ${COMMANDS.join(' | ')} (default ask)
  --json               print only the final record as JSON (answer, route, provider, tokens, cost, timings)
  Environment: ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL, OLLAMA_HOST, LLMGENIE_OLLAMA_MODEL, LLMGENIE_CLAUDE_MODEL,
  LLMGENIE_FIRST_TOKEN_TIMEOUT_MS (default 10000), LLMGENIE_IDLE_TIMEOUT_MS (30000), LLMGENIE_LOCAL_TIMEOUT_MS and
  LLMGENIE_CLOUD_TIMEOUT_MS (whole call, 300000), LLMGENIE_SECRETS=mask|block
  Exit codes: 0 answered, 1 answered but the answer failed its checks, 2 no answer (usage, no provider), 130 cancelled.`;

export interface AskCommandOptions {
  /** Where task records go; the lead wires the session store here. Default: not logged. */
  sink?: (io: CliIO) => SessionEventSink;
  /** Lessons search for the `search_lessons` tool; the tool is offered only when given. */
  lessonSearch?: (io: CliIO) => LessonSearch | undefined;
  fs?: FileSystem;
}

export function createAskCommand(options: AskCommandOptions = {}): CliCommand {
  const fs = options.fs ?? nodeFileSystem;
  return {
    words: ['ask'],
    summary: 'Ask a question or run an editor command through the router (Ollama or Claude)',
    usage: USAGE,
    async run(args: string[], io: CliIO): Promise<number> {
      let values: { 'context-file'?: string; route?: string; command?: string; json?: boolean };
      let positionals: string[];
      try {
        ({ values, positionals } = parseArgs({
          args,
          allowPositionals: true,
          options: {
            'context-file': { type: 'string' },
            route: { type: 'string' },
            command: { type: 'string' },
            json: { type: 'boolean' },
          },
        }));
      } catch (e) {
        throw new UsageError((e as Error).message);
      }
      const mode = (values.route ?? 'auto') as Mode;
      if (!MODES.includes(mode)) throw new UsageError(`--route must be auto, local or cloud, got "${values.route}"`);
      if (values.command !== undefined && normaliseCommand(values.command) === 'ask' && values.command.toLowerCase() !== 'ask')
        throw new UsageError(`--command must be one of ${COMMANDS.join(', ')}, got "${values.command}"`);
      let prompt = positionals.join(' ').trim();
      if (prompt === '-') prompt = (await io.readStdin()).trim();
      if (!prompt) throw new UsageError('a prompt is required: llmgenie ask "<prompt>"');

      const cwd = io.cwd.replace(/\\/g, '/');
      let context: string | undefined;
      let fileName: string | undefined;
      if (values['context-file']) {
        fileName = values['context-file'].replace(/\\/g, '/');
        const abs = isAbsolute(fileName) ? fileName : resolve(cwd, fileName).replace(/\\/g, '/');
        try {
          context = await fs.readText(abs);
        } catch (e) {
          throw new CliError(`cannot read --context-file ${fileName}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
        }
      }

      let providers;
      let settings;
      try {
        providers = createProviders(providerConfigFromEnv(io.env));
        settings = { ...routerSettingsFromEnv(io.env), mode };
      } catch (e) {
        throw new CliError((e as Error).message);
      }
      const search = options.lessonSearch?.(io);
      const tools = workspaceTools({ fs, root: cwd, ...(search ? { lessons: search } : {}) });

      const ac = new AbortController();
      const onSigint = (): void => ac.abort();
      process.once('SIGINT', onSigint);
      let streamed = '';
      const onEvent = (e: RunEvent): void => {
        if (values.json) return;
        if (e.kind === 'delta') {
          streamed += e.text;
          io.out(e.text);
        } else if (e.kind === 'notice') io.err(`llmgenie: ${e.message}\n`);
        else if (e.kind === 'toolCall') io.err(`llmgenie: ${e.provider === 'ollama' ? 'local model' : 'Claude'} called ${e.call.name} ${JSON.stringify(e.call.input)}\n`);
        else if (e.kind === 'switch' && streamed) {
          // stdout cannot take back text already printed: mark where the superseding answer starts.
          io.out(`\n\n--- ${e.to === 'anthropic' ? 'Claude' : 'local model'} answer ---\n\n`);
          streamed = '';
        }
      };
      let result: TaskResult;
      try {
        result = await runTask(
          { prompt, ...(context !== undefined ? { context, fileName } : {}), command: normaliseCommand(values.command), ...(fileName ? { files: [fileName] } : {}) },
          // The folder's routing feedback, as the editor keeps it: its learnt routes apply here too.
          { ...providers, settings, tools, sink: options.sink?.(io) ?? nullSink, feedback: workspaceFeedback({ fs, root: cwd, ...(fs === nodeFileSystem ? { realpath: nodeFileAccess.realpath } : {}) }) },
          { signal: ac.signal, onEvent },
        );
      } finally {
        process.off('SIGINT', onSigint);
      }

      if (values.json) {
        const { conversation: _c, ...record } = result;
        io.out(`${JSON.stringify(record, null, 2)}\n`);
      } else if (streamed && !streamed.endsWith('\n')) io.out('\n');
      if (result.error === 'cancelled') {
        if (!values.json) io.err('llmgenie: cancelled\n');
        return 130;
      }
      if (!result.answer) {
        // runTask already explained why in a notice (stderr); --json callers get it in the record.
        if (values.json) io.err(`llmgenie: ${result.error ?? 'no answer'}\n`);
        return 2;
      }
      return result.ok ? 0 : 1;
    },
  };
}

export const commands: CliCommand[] = [createAskCommand()];
