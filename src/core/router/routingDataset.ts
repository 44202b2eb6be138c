// The labelled routing dataset (data/routing/*.jsonl) and the figures computed on it: shared by the offline
// trainer, the bench and the tests so all three read the same data the same way.
import { z } from 'zod';
import type { RoutingTask } from './features';

export const routingExampleSchema = z.object({
  id: z.string().min(1),
  prompt: z.string(),
  context: z.string().optional(),
  command: z.string().optional(),
  language: z.string().optional(),
  fileName: z.string().optional(),
  label: z.enum(['local', 'cloud']),
});

export type RoutingExample = z.infer<typeof routingExampleSchema>;

/** Parses JSONL; a bad line is an error naming the line, since a silently skipped example skews every figure. */
export function parseRoutingDataset(text: string, source = 'dataset'): RoutingExample[] {
  const out: RoutingExample[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      throw new Error(`${source}:${i + 1}: not valid JSON`);
    }
    const r = routingExampleSchema.safeParse(raw);
    if (!r.success) throw new Error(`${source}:${i + 1}: ${r.error.issues[0]?.path.join('.')}: ${r.error.issues[0]?.message}`);
    out.push(r.data);
  });
  return out;
}

export function accuracy(examples: readonly RoutingExample[], predict: (t: RoutingTask) => 'local' | 'cloud'): number {
  if (examples.length === 0) return 0;
  let ok = 0;
  for (const e of examples) if (predict(e) === e.label) ok++;
  return ok / examples.length;
}

export interface LengthRule {
  /** Task length (prompt plus context, characters) at which the rule switches route. */
  threshold: number;
  /** 'long-cloud': length >= threshold → cloud; 'long-local': length >= threshold → local. */
  direction: 'long-cloud' | 'long-local';
}

/** What a length-only router sees: everything sent, prompt and code. */
export const taskLength = (t: RoutingTask): number => t.prompt.length + (typeof t.context === 'string' ? t.context.length : 0);

export const applyLengthRule = (rule: LengthRule, t: RoutingTask): 'local' | 'cloud' =>
  (taskLength(t) >= rule.threshold) === (rule.direction === 'long-cloud') ? 'cloud' : 'local';

/**
 * The strongest router that only looks at prompt length: every cut point and both directions, chosen on `train`.
 * The classifier has to beat it on held-out data, or it has learned length rather than complexity.
 */
export function bestLengthRule(train: readonly RoutingExample[]): { rule: LengthRule; trainAccuracy: number } {
  const cuts = [...new Set(train.map(taskLength))].sort((a, b) => a - b);
  cuts.push(cuts.length ? cuts[cuts.length - 1]! + 1 : 1);
  let best = { rule: { threshold: 0, direction: 'long-cloud' } as LengthRule, trainAccuracy: -1 };
  for (const threshold of cuts)
    for (const direction of ['long-cloud', 'long-local'] as const) {
      const rule = { threshold, direction };
      const acc = accuracy(train, (t) => applyLengthRule(rule, t));
      if (acc > best.trainAccuracy) best = { rule, trainAccuracy: acc };
    }
  return best;
}

/** One point of the trade-off curve: at this threshold, how many hard tasks go local and how much stays local. */
export interface TradeOffPoint {
  threshold: number;
  /** Share of cloud-labelled tasks scored below the threshold (sent to the local model). */
  hardLocal: number;
  /** Share of all tasks scored below the threshold. */
  localShare: number;
  accuracy: number;
}

export function tradeOffCurve(scores: readonly number[], labels: readonly ('local' | 'cloud')[], thresholds: readonly number[]): TradeOffPoint[] {
  const hard = labels.filter((l) => l === 'cloud').length || 1;
  return thresholds.map((t) => {
    let hardLocal = 0;
    let local = 0;
    let ok = 0;
    scores.forEach((s, i) => {
      const route = s >= t ? 'cloud' : 'local';
      if (route === 'local') local++;
      if (route === 'local' && labels[i] === 'cloud') hardLocal++;
      if (route === labels[i]) ok++;
    });
    return { threshold: t, hardLocal: hardLocal / hard, localShare: local / (scores.length || 1), accuracy: ok / (scores.length || 1) };
  });
}

/** Hard tasks sent local cost a wrong answer; easy tasks sent to Claude cost cents. These are the limits. */
export const MAX_HARD_LOCAL = 0.04;
/** Below this share of hard tasks left local, a local route is confident rather than uncertain. */
export const CONFIDENT_HARD_LOCAL = 0.02;
const GRID = Array.from({ length: 99 }, (_, i) => Math.round((i + 1) * 0.01 * 100) / 100);

/**
 * The cost-sensitive cut: among the thresholds whose hard-sent-local share stays within MAX_HARD_LOCAL, the most
 * accurate one (ties go to the higher threshold, which keeps more tasks local); and the start of the uncertain band
 * below it, the highest threshold whose share is within CONFIDENT_HARD_LOCAL. Scores in [uncertainFrom, threshold)
 * go local first with the strictest checks.
 */
export function chooseThresholds(
  scores: readonly number[],
  labels: readonly ('local' | 'cloud')[],
): { threshold: number; uncertainFrom: number; hardLocal: number; localShare: number; accuracy: number } {
  const curve = tradeOffCurve(scores, labels, GRID);
  const ok = curve.filter((p) => p.hardLocal <= MAX_HARD_LOCAL);
  const best = ok.length ? ok.reduce((a, p) => (p.accuracy >= a.accuracy ? p : a)) : curve[0]!;
  const confident = curve.filter((p) => p.hardLocal <= CONFIDENT_HARD_LOCAL && p.threshold <= best.threshold);
  const from = confident.length ? confident[confident.length - 1]!.threshold : curve[0]!.threshold;
  return {
    threshold: best.threshold,
    uncertainFrom: Math.min(from, best.threshold),
    hardLocal: best.hardLocal,
    localShare: best.localShare,
    accuracy: best.accuracy,
  };
}

/** Baseline: the majority label of each command on train (free-form tasks are the command ''). */
export function commandOnlyRule(train: readonly RoutingExample[]): { predict: (t: RoutingTask) => 'local' | 'cloud'; score: (t: RoutingTask) => number } {
  const rate = new Map<string, { cloud: number; n: number }>();
  for (const e of train) {
    const k = e.command ?? '';
    const r = rate.get(k) ?? { cloud: 0, n: 0 };
    r.n++;
    if (e.label === 'cloud') r.cloud++;
    rate.set(k, r);
  }
  const score = (t: RoutingTask): number => {
    const r = rate.get(typeof t.command === 'string' ? t.command : '');
    return r ? r.cloud / r.n : 0.5;
  };
  return { predict: (t) => (score(t) >= 0.5 ? 'cloud' : 'local'), score };
}

// The rule of thumb: "cloud if the code mentions a lock, a thread, crypto… or is long".
const KEYWORDS = /\b(?:lock|mutex|thread|atomic|concurren\w*|async|await|crypto\w*|password|token|auth\w*|secret|unsafe|race|deadlock|sql|select|transaction)\b/i;

/** Baseline: cloud when prompt or code mentions a risky keyword, or the task is longer than a cut chosen on train. */
export function keywordRule(train: readonly RoutingExample[]): { predict: (t: RoutingTask) => 'local' | 'cloud'; score: (t: RoutingTask) => number; maxLength: number } {
  const text = (t: RoutingTask): string => `${t.prompt}\n${typeof t.context === 'string' ? t.context : ''}`;
  const rule = (max: number) => (t: RoutingTask): 'local' | 'cloud' => (KEYWORDS.test(text(t)) || taskLength(t) >= max ? 'cloud' : 'local');
  let best = { max: Infinity, acc: accuracy(train, rule(Infinity)) };
  for (const max of [...new Set(train.map(taskLength))]) {
    const acc = accuracy(train, rule(max));
    if (acc > best.acc) best = { max, acc };
  }
  const predict = rule(best.max);
  return { predict, score: (t) => (KEYWORDS.test(text(t)) ? 1 : 0) + Math.min(0.99, taskLength(t) / Math.max(1, best.max === Infinity ? 1e6 : best.max)), maxLength: best.max };
}

/** Area under the ROC curve: the chance a random hard task scores above a random easy one (ties count half). */
export function auc(scores: readonly number[], labels: readonly ('local' | 'cloud')[]): number {
  const pos = scores.filter((_, i) => labels[i] === 'cloud');
  const neg = scores.filter((_, i) => labels[i] === 'local');
  if (!pos.length || !neg.length) return 0.5;
  let wins = 0;
  for (const p of pos) for (const q of neg) wins += p > q ? 1 : p === q ? 0.5 : 0;
  return wins / (pos.length * neg.length);
}
