// The labelled routing dataset (data/routing/*.jsonl) and the figures computed on it: shared by the offline
// trainer, the bench and the tests so all three read the same data the same way.
import { z } from 'zod';
import type { RoutingTask } from './features';

export const routingExampleSchema = z.object({
  id: z.string().min(1),
  prompt: z.string(),
  context: z.string().optional(),
  command: z.string().optional(),
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
  /** Prompt length (characters) at which the rule switches route. */
  threshold: number;
  /** 'long-cloud': length >= threshold → cloud; 'long-local': length >= threshold → local. */
  direction: 'long-cloud' | 'long-local';
}

export const applyLengthRule = (rule: LengthRule, t: RoutingTask): 'local' | 'cloud' =>
  (t.prompt.length >= rule.threshold) === (rule.direction === 'long-cloud') ? 'cloud' : 'local';

/**
 * The strongest router that only looks at prompt length: every cut point and both directions, chosen on `train`.
 * The classifier has to beat it on held-out data, or it has learned length rather than complexity.
 */
export function bestLengthRule(train: readonly RoutingExample[]): { rule: LengthRule; trainAccuracy: number } {
  const cuts = [...new Set(train.map((e) => e.prompt.length))].sort((a, b) => a - b);
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
