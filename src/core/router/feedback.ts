// The workspace's routing feedback: `.llmgenie/routing-feedback.jsonl`, one labelled example a line (calibration.ts),
// written by every face (editor, CLI `ask`, MCP `ask`) through the router so they all learn and route alike.
import { z } from 'zod';
import { withFileLock } from '../platform/fileLock';
import { confineWorkspaceArgument } from '../platform/workspacePath';
import type { FileSystem } from '../platform/fileSystem';
import { redactSecrets } from '../policy/redact';
import { calibrate, calibrationKey, type Calibration, type FeedbackOutcome, type FeedbackRecord, type KeyCalibration } from './calibration';
import type { RouteDecision } from './classifier';
import { normaliseLanguage } from './language';

export const FEEDBACK_PATH = '.llmgenie/routing-feedback.jsonl';
/** The file is compacted to the newest MAX_RECORDS lines once it grows past twice that. */
const MAX_RECORDS = 2000;
const COMPACT_CHECK_EVERY = 100;
const MAX_REASON = 300;

const recordSchema = z.object({
  v: z.literal(1),
  time: z.string().max(40),
  taskId: z.string().max(100).optional(),
  command: z.string().min(1).max(40),
  language: z.string().min(1).max(40),
  score: z.number().min(0).max(1),
  threshold: z.number().min(0).max(1),
  outcome: z.enum(['escalated', 'rerun-cloud', 'accepted-local']),
  reason: z.string().max(MAX_REASON).optional(),
}) satisfies z.ZodType<FeedbackRecord>;

/** What the router knows about a task when it records an outcome. */
export interface FeedbackInput {
  taskId?: string;
  command: string;
  language?: string;
  score: number;
  threshold: number;
  outcome: FeedbackOutcome;
  reason?: string;
}

export interface RoutingFeedback {
  /** Appends one example (the reason masked and shortened). */
  record(input: FeedbackInput): Promise<void>;
  /** The workspace's recalibrated thresholds, from the file as it is now. */
  calibration(): Promise<Calibration>;
  /** Forgets the examples of one command + language (or all): its route goes back to the shipped threshold. */
  reset(key?: { command: string; language: string }): Promise<number>;
}

/** Resolves symlinks, e.g. `fs.promises.realpath`. */
export type RealPath = (path: string) => Promise<string>;

export class FeedbackPathError extends Error {}

/**
 * The feedback store of the workspace at `root` (absolute, '/'-separated). With `realpath` (a real disk) the
 * `.llmgenie` folder must resolve inside the workspace, so a symlink cannot make the router write elsewhere.
 */
export function workspaceFeedback(opts: {
  fs: FileSystem;
  root: string;
  realpath?: RealPath;
  now?: () => Date;
  /** Tests shrink these to compact often: keep this many records, rewrite past twice that, checked every N appends. */
  maxRecords?: number;
  compactEvery?: number;
}): RoutingFeedback {
  const maxRecords = opts.maxRecords ?? MAX_RECORDS;
  const compactEvery = opts.compactEvery ?? COMPACT_CHECK_EVERY;
  const root = opts.root.replace(/\\/g, '/').replace(/\/+$/, '');
  const file = `${root}/${FEEDBACK_PATH}`;
  // Every change to the file (append, compaction, reset) holds this lock: a rewrite reads the file and renames a new
  // one over it, and a line another process appended in between would be lost with the old file.
  const locked = <T>(fn: () => Promise<T>): Promise<T> => withFileLock(opts.fs, `${file}.lock`, fn);
  const now = opts.now ?? (() => new Date());
  let appended = 0;

  const confined = async (): Promise<void> => {
    if (!opts.realpath) return;
    // The one path check (platform/workspacePath): the file, or its nearest existing folder, by real path.
    await confineWorkspaceArgument(root, FEEDBACK_PATH, { realpath: opts.realpath }).catch(() => {
      throw new FeedbackPathError(`${FEEDBACK_PATH} resolves outside the workspace; not written`);
    });
  };

  const read = async (): Promise<FeedbackRecord[]> => {
    let text: string;
    try {
      text = await opts.fs.readText(file);
    } catch {
      return [];
    }
    const out: FeedbackRecord[] = [];
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        const r = recordSchema.safeParse(JSON.parse(line));
        if (r.success) out.push(r.data);
      } catch {
        // a torn or hand-edited line: skipped, the rest still counts
      }
    }
    return out;
  };

  const write = async (records: readonly FeedbackRecord[]): Promise<void> => {
    await confined();
    if (!records.length) await opts.fs.remove(file);
    else await opts.fs.writeText(file, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  };

  return {
    async record(input) {
      const reason = input.reason ? redactSecrets(input.reason).text.replace(/\s+/g, ' ').trim().slice(0, MAX_REASON) : undefined;
      const rec: FeedbackRecord = {
        v: 1,
        time: now().toISOString(),
        ...(input.taskId ? { taskId: input.taskId.slice(0, 100) } : {}),
        command: input.command.slice(0, 40) || 'ask',
        language: feedbackLanguage(input.language),
        score: clamp01(input.score),
        threshold: clamp01(input.threshold),
        outcome: input.outcome,
        ...(reason ? { reason } : {}),
      };
      await confined();
      await locked(async () => {
        await opts.fs.appendText(file, `${JSON.stringify(rec)}\n`);
        // Compaction is checked now and then (every process counts its own appends), not on every append.
        if (++appended % compactEvery === 0) {
          const all = await read();
          if (all.length > 2 * maxRecords) await write(all.slice(-maxRecords));
        }
      });
    },
    async calibration() {
      return calibrate(await read());
    },
    async reset(key) {
      await confined();
      return locked(async () => {
        const all = await read();
        const kept = key ? all.filter((r) => r.command !== key.command || r.language !== key.language) : [];
        if (kept.length === all.length) return 0;
        await write(kept);
        return all.length - kept.length;
      });
    },
  };
}

/** The key a task is calibrated under: its normalised language, 'none' without one. */
export function feedbackLanguage(language: string | undefined): string {
  return (normaliseLanguage(language) ?? 'none').slice(0, 40) || 'none';
}

/** The decision after this workspace's calibration for the task's command + language (unchanged without one). */
export function calibratedDecision<D extends RouteDecision>(
  decision: D,
  threshold: number,
  calibration: Calibration | undefined,
  key: { command: string; language?: string },
): { decision: D; threshold: number; calibrated?: KeyCalibration } {
  const c = calibration?.get(calibrationKey(key.command, feedbackLanguage(key.language)));
  if (!c) return { decision, threshold };
  const route: RouteDecision['route'] = decision.score >= c.threshold ? 'cloud' : 'local';
  // When the learnt threshold moves the task, the classifier's reasons argue for the other side: say what the
  // classifier alone would have done instead, as a forced mode does.
  const reasons = route === decision.route ? [c.explanation, ...decision.reasons] : [c.explanation, `classifier alone: ${decision.route} (${decision.score.toFixed(2)})`];
  return { decision: { ...decision, route, reasons }, threshold: c.threshold, calibrated: c };
}

const clamp01 = (n: number): number => (Number.isFinite(n) ? Math.min(1, Math.max(0, n)) : 0);
