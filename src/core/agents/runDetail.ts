// One run step by step, for the editor's Sessions tree: the status rows (runStatus.ts) say how each branch stands;
// this adds what each step left behind (the librarian's package and score, the reviewer's verdict and its
// findings with their lines), which the rows only count. Read from the journal alone, like the rows.
import { z } from 'zod';
import type { FileSystem } from '../platform/fileSystem';
import { EmbeddedBus } from './bus/embeddedBus';
import { runPaths } from './layout';
import { summarizeRun, type StepSummary } from './runState';
import { readRunStatus, type BranchRow, type RunStatus } from './runStatus';
import { FindingSchema, type ReviewFinding } from './schemas';

export interface StepHandoff {
  /** Worktree-relative HANDOFF.md. */
  package: string;
  score: number;
  passed: boolean;
  minScore: number;
  gaps: string[];
}

export interface StepVerdict {
  verdict: 'approve' | 'request_changes';
  summary: string;
  findings: ReviewFinding[];
}

export interface StepDetail extends StepSummary {
  handoff?: StepHandoff;
  verdict?: StepVerdict;
}

export interface BranchDetail extends BranchRow {
  stepList: StepDetail[];
}

export interface RunDetail extends Omit<RunStatus, 'branches'> {
  branches: BranchDetail[];
}

const HandoffOutputSchema = z.object({
  package: z.string(),
  score: z.number(),
  passed: z.boolean(),
  minScore: z.number(),
  gaps: z.array(z.object({ message: z.string() })).catch([]),
});
const VerdictOutputSchema = z.object({
  verdict: z.enum(['approve', 'request_changes']),
  summary: z.string().catch(''),
  // One finding a newer build shaped differently must not hide the others.
  findings: z.array(z.unknown()).catch([]),
});

/** What a step's result carries that the tree shows as its children; nothing for a step that left none. */
export function stepExtras(role: string, output: unknown): Pick<StepDetail, 'handoff' | 'verdict'> {
  if (role === 'librarian') {
    const h = HandoffOutputSchema.safeParse(output);
    if (h.success) return { handoff: { package: h.data.package, score: h.data.score, passed: h.data.passed, minScore: h.data.minScore, gaps: h.data.gaps.map((g) => g.message) } };
  }
  if (role === 'reviewer') {
    const v = VerdictOutputSchema.safeParse(output);
    if (v.success) {
      const findings = v.data.findings.flatMap((f) => {
        const p = FindingSchema.safeParse(f);
        return p.success ? [p.data] : [];
      });
      return { verdict: { verdict: v.data.verdict, summary: v.data.summary, findings } };
    }
  }
  return {};
}

/** The run's status (runStatus.ts) with each branch's steps and what they produced, newest round last. */
export async function readRunDetail(fs: FileSystem, root: string, run: string, o: { maxReviewRounds?: number } = {}): Promise<RunDetail> {
  const status = await readRunStatus(fs, root, run, o);
  const bus = new EmbeddedBus({ fs, journalPath: (r) => runPaths(root, r).journal });
  let history;
  try {
    history = await bus.history(run);
  } finally {
    await bus.close();
  }
  const summary = summarizeRun(history, new Date(), o.maxReviewRounds ?? 2);
  const extras = new Map<string, Pick<StepDetail, 'handoff' | 'verdict'>>();
  for (const m of history) {
    if (m.topic !== 'result') continue;
    const p = m.payload as { branch: string; role: string; round: number; output?: unknown };
    extras.set(`${p.branch}/${p.role}/${p.round}`, stepExtras(p.role, p.output));
  }
  const { branches, ...rest } = status;
  return {
    ...rest,
    branches: branches.map((row) => {
      const steps = summary.branches.find((b) => b.slug === row.slug)?.steps ?? [];
      return { ...row, stepList: steps.map((s) => ({ ...s, ...extras.get(`${row.slug}/${s.role}/${s.round}`) })) };
    }),
  };
}
