// `llmgenie route`: classify editor tasks read as JSON lines on stdin, offline (no provider is contacted). A line
// is the task as the editor builds it, so the CLI, the MCP server and the editor route one task alike; the
// routing settings (mode, overrides, threshold) come from the workspace's .vscode/settings.json like the editor's.
import { z } from 'zod';
import type { RouterMode } from '../../core/router/classifier';
import { nodeFileSystem, type FileSystem } from '../../core/platform/fileSystem';
import { readWorkspaceRoutingConfig, routeWithConfig } from '../../core/router/routingConfig';
import { parseCliArgs } from '../args';
import { UsageError, type CliCommand, type CliIO } from '../command';

// `null` is "absent" for every optional field: JSON writers often emit it.
const optionalText = z
  .string()
  .nullish()
  .transform((v) => v ?? undefined);

export const routeTaskLineSchema = z.object({
  id: z
    .union([z.string(), z.number()])
    .nullish()
    .transform((v) => v ?? undefined),
  command: optionalText,
  /** The user's instruction (or the editor's whole prompt); may be empty. */
  prompt: z.string().nullish().transform((v) => v ?? ''),
  context: optionalText,
  language: optionalText,
  fileName: optionalText,
});

const MODES: readonly RouterMode[] = ['auto', 'local', 'cloud'];

const USAGE = `llmgenie route [--json] [--mode auto|local|cloud] [--threshold P]
  Reads JSON lines {"id"?, "command", "prompt", "context"?, "language"?, "fileName"?} on stdin (the task as the
  editor builds it; "prompt" is the user's instruction and may be empty) and prints one decision per task.
  Mode, per-command overrides and threshold come from .vscode/settings.json (llmgenie.router.*) when present.
  --json        one JSON line per task: {"id","route","score","band","threshold","summary","reasons"}
  --mode        force local or cloud (default: the workspace setting, else auto)
  --threshold   cloud probability at or above which a task goes to the cloud (default: the workspace's, else the model's)
  Exit code 2 if any line is malformed (the other lines are still routed).`;

interface Row {
  id: string | number;
  route?: 'local' | 'cloud';
  score?: number;
  band?: 'confident' | 'uncertain';
  threshold?: number;
  summary?: string;
  reasons?: string[];
  error?: string;
}

type Config = Parameters<typeof routeWithConfig>[1];

function parseLine(line: string, lineNo: number, config: Config): Row {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return { id: lineNo, error: 'not valid JSON' };
  }
  const parsed = routeTaskLineSchema.safeParse(raw);
  if (!parsed.success) {
    const given = (raw as { id?: unknown } | null)?.id;
    const id = typeof given === 'string' || typeof given === 'number' ? given : lineNo;
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    return { id, error: `${where}${issue?.message ?? 'invalid task'}` };
  }
  const { id, ...task } = parsed.data;
  const d = routeWithConfig(task, config);
  return { id: id ?? lineNo, route: d.route, score: d.score, band: d.band!, threshold: d.threshold!, summary: d.summary!, reasons: d.reasons };
}

function tableLine(r: Row, idWidth: number): string {
  const id = String(r.id).padEnd(idWidth);
  if (r.error !== undefined) return `${id}  error  ${r.error}`;
  return `${id}  ${r.route!.padEnd(5)}  ${r.score!.toFixed(2)}  ${r.summary}; ${r.reasons!.join('; ')}`;
}

export function createRouteCommand(deps: { fs: FileSystem }): CliCommand {
  async function run(args: string[], io: CliIO): Promise<number> {
    const { values, positionals } = parseCliArgs(args, { json: { type: 'boolean' }, mode: { type: 'string' }, threshold: { type: 'string' } });
    if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}" (tasks are read from stdin)`);
    if (values.mode !== undefined && !MODES.includes(values.mode as RouterMode))
      throw new UsageError(`--mode must be auto, local or cloud (got "${values.mode}")`);
    let threshold: number | undefined;
    if (values.threshold !== undefined) {
      threshold = Number(values.threshold);
      if (!Number.isFinite(threshold) || threshold < 0 || threshold > 1)
        throw new UsageError(`--threshold must be a number between 0 and 1 (got "${values.threshold}")`);
    }
    const workspace = await readWorkspaceRoutingConfig(deps.fs, io.cwd);
    for (const p of workspace.problems) io.err(`${p}\n`);
    const config: Config = {
      mode: (values.mode as RouterMode | undefined) ?? workspace.mode,
      overrides: workspace.overrides,
      ...((threshold ?? workspace.threshold) !== undefined ? { threshold: threshold ?? workspace.threshold } : {}),
    };

    const input = await io.readStdin();
    const rows: Row[] = [];
    input.split(/\r?\n/).forEach((line, i) => {
      if (line.trim() !== '') rows.push(parseLine(line, i + 1, config));
    });
    if (values.json) for (const r of rows) io.out(`${JSON.stringify(r)}\n`);
    else {
      const idWidth = Math.max(2, ...rows.map((r) => String(r.id).length));
      io.out(`${'id'.padEnd(idWidth)}  route  score  why\n`);
      for (const r of rows) io.out(`${tableLine(r, idWidth)}\n`);
    }
    const bad = rows.filter((r) => r.error !== undefined).length;
    if (bad) io.err(`${bad} malformed line${bad === 1 ? '' : 's'} on stdin\n`);
    return bad ? 2 : 0;
  }
  return { words: ['route'], summary: 'Classify editor tasks (JSON lines on stdin) as local or cloud, offline', usage: USAGE, run };
}

export const commands: CliCommand[] = [createRouteCommand({ fs: nodeFileSystem })];
