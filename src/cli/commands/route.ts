// `llmgenie route`: classify editor tasks read as JSON lines on stdin, offline (no provider is contacted).
import { z } from 'zod';
import { decideRoute, type RouterMode } from '../../core/router/classifier';
import { parseCliArgs } from '../args';
import { UsageError, type CliCommand, type CliIO } from '../command';

const taskLineSchema = z.object({
  id: z.union([z.string(), z.number()]).optional(),
  prompt: z.string(),
  context: z.string().optional(),
  command: z.string().optional(),
});

const MODES: readonly RouterMode[] = ['auto', 'local', 'cloud'];

const USAGE = `llmgenie route [--json] [--mode auto|local|cloud] [--threshold P]
  Reads JSON lines {"id"?, "prompt", "context"?, "command"?} on stdin and prints one decision per task.
  --json        one JSON line per task: {"id","route","score","reasons"}
  --mode        force local or cloud (default auto: the classifier decides)
  --threshold   cloud probability at or above which a task goes to the cloud (default: the model's)
  Exit code 2 if any line is malformed (the other lines are still routed).`;

interface Row {
  id: string | number;
  route?: 'local' | 'cloud';
  score?: number;
  reasons?: string[];
  error?: string;
}

function parseLine(line: string, lineNo: number, mode: RouterMode, threshold: number | undefined): Row {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return { id: lineNo, error: 'not valid JSON' };
  }
  const parsed = taskLineSchema.safeParse(raw);
  if (!parsed.success) {
    const given = (raw as { id?: unknown } | null)?.id;
    const id = typeof given === 'string' || typeof given === 'number' ? given : lineNo;
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    return { id, error: `${where}${issue?.message ?? 'invalid task'}` };
  }
  const t = parsed.data;
  const d = decideRoute({ prompt: t.prompt, context: t.context, command: t.command }, mode, undefined, { threshold });
  return { id: t.id ?? lineNo, route: d.route, score: d.score, reasons: d.reasons };
}

function tableLine(r: Row, idWidth: number): string {
  const id = String(r.id).padEnd(idWidth);
  if (r.error !== undefined) return `${id}  error  ${r.error}`;
  return `${id}  ${r.route!.padEnd(5)}  ${r.score!.toFixed(2)}  ${r.reasons!.join('; ')}`;
}

async function run(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseCliArgs(args, { json: { type: 'boolean' }, mode: { type: 'string' }, threshold: { type: 'string' } });
  if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}" (tasks are read from stdin)`);
  const mode = (values.mode ?? 'auto') as RouterMode;
  if (!MODES.includes(mode)) throw new UsageError(`--mode must be auto, local or cloud (got "${values.mode}")`);
  let threshold: number | undefined;
  if (values.threshold !== undefined) {
    threshold = Number(values.threshold);
    if (!Number.isFinite(threshold) || threshold < 0 || threshold > 1)
      throw new UsageError(`--threshold must be a number between 0 and 1 (got "${values.threshold}")`);
  }

  const input = await io.readStdin();
  const rows: Row[] = [];
  input.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() !== '') rows.push(parseLine(line, i + 1, mode, threshold));
  });
  if (values.json) for (const r of rows) io.out(`${JSON.stringify(r)}\n`);
  else {
    const idWidth = Math.max(2, ...rows.map((r) => String(r.id).length));
    io.out(`${'id'.padEnd(idWidth)}  route  score  reasons\n`);
    for (const r of rows) io.out(`${tableLine(r, idWidth)}\n`);
  }
  const bad = rows.filter((r) => r.error !== undefined).length;
  if (bad) io.err(`${bad} malformed line${bad === 1 ? '' : 's'} on stdin\n`);
  return bad ? 2 : 0;
}

export const commands: CliCommand[] = [
  { words: ['route'], summary: 'Classify editor tasks (JSON lines on stdin) as local or cloud, offline', usage: USAGE, run },
];
