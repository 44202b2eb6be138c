// Routes an editor task to the local model or to the cloud: a logistic regression over transparent features
// (src/core/router/features.ts), trained offline by scripts/train-router.ts. No training happens at runtime.
import { z } from 'zod';
import { extractFeatures, FEATURE_NAMES, FEATURE_SPECS, type RoutingTask } from './features';
import { routingModel } from './routingModel';

export type { RoutingTask } from './features';

export interface RouteDecision {
  route: 'local' | 'cloud';
  /** Probability that the task needs the cloud model, 0..1. */
  score: number;
  /** Human-readable, strongest first, e.g. "concurrency", "multi-file / cross-module change". */
  reasons: string[];
}

export type RouterMode = 'auto' | 'local' | 'cloud';
export type RouteOverride = 'local' | 'cloud' | 'auto';

export const routingModelSchema = z.object({
  version: z.literal(1),
  source: z.string(),
  features: z.array(z.string()).min(1),
  weights: z.array(z.number().finite()),
  bias: z.number().finite(),
  /** Training-set feature means: contributions are measured against them so reasons name what is unusual. */
  means: z.array(z.number().finite()),
  threshold: z.number().min(0).max(1),
  training: z
    .object({
      examples: z.number().int(),
      cloudShare: z.number(),
      trainAccuracy: z.number(),
      cvAccuracy: z.number().optional(),
      l2: z.number(),
      epochs: z.number().int(),
      /** sha256 of features.ts + train.jsonl at training time; see scripts/routerFingerprint.ts. */
      fingerprint: z.string().optional(),
    })
    .optional(),
});

export type RoutingModel = z.infer<typeof routingModelSchema>;

/** Checks a model against the feature extractor; a stale model (features renamed or reordered) is a build error. */
export function loadRoutingModel(raw: unknown): RoutingModel {
  const model = routingModelSchema.parse(raw);
  const n = FEATURE_NAMES.length;
  if (model.features.length !== n || model.features.some((f, i) => f !== FEATURE_NAMES[i]))
    throw new Error(`routing model features do not match the extractor; retrain with scripts/train-router.ts`);
  if (model.weights.length !== n || model.means.length !== n) throw new Error('routing model has the wrong number of weights');
  return model;
}

// Loaded on first use rather than at import, so the trainer can import this module while the shipped model is
// stale; the check still fails loudly on the first classification.
let shipped: RoutingModel | undefined;
const defaultModel = (): RoutingModel => (shipped ??= loadRoutingModel(routingModel));

/** Below this |contribution| (in logits) a feature is not worth naming. */
const MIN_REASON = 0.35;
const MAX_REASONS = 3;

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

export function classifyTask(task: RoutingTask, options?: { threshold?: number; model?: RoutingModel }): RouteDecision {
  const model = options?.model ?? defaultModel();
  const x = extractFeatures(task);
  let logit = model.bias;
  for (let i = 0; i < x.length; i++) logit += model.weights[i]! * x[i]!;
  const score = sigmoid(logit);
  const threshold = options?.threshold ?? model.threshold;
  const route: RouteDecision['route'] = score >= threshold ? 'cloud' : 'local';
  return { route, score: Math.round(score * 1e4) / 1e4, reasons: explain(model, x, route) };
}

// A feature's contribution is measured against the training mean, so a long prompt only counts as a reason when
// it is longer than usual, and a binary cue counts when present.
function explain(model: RoutingModel, x: number[], route: RouteDecision['route']): string[] {
  const sign = route === 'cloud' ? 1 : -1;
  const picked: { label: string; c: number }[] = [];
  for (let i = 0; i < x.length; i++) {
    const delta = x[i]! - model.means[i]!;
    const c = model.weights[i]! * delta * sign;
    if (c < MIN_REASON) continue;
    const spec = FEATURE_SPECS[i]!;
    // A binary cue absent is not a reason ("no concurrency" is not why something is local).
    if (delta < 0 && !spec.lowLabel) continue;
    picked.push({ label: delta < 0 ? spec.lowLabel! : spec.label, c });
  }
  picked.sort((a, b) => b.c - a.c);
  const reasons = picked.slice(0, MAX_REASONS).map((p) => p.label);
  if (reasons.length === 0)
    reasons.push(route === 'local' ? 'no complexity cues: routine task' : 'overall complexity of the task');
  return reasons;
}

const MODE_LABEL: Record<'local' | 'cloud', string> = { local: 'Local', cloud: 'Cloud' };

/**
 * Applies the status-bar mode and per-command overrides on top of the classifier. A forced mode (Local / Cloud)
 * is the user's explicit, current choice and wins over settings; per-command overrides apply in Auto mode.
 * The classifier still runs so a forced decision shows what Auto would have chosen.
 */
export function decideRoute(
  task: RoutingTask,
  mode: RouterMode,
  overrides?: Record<string, RouteOverride>,
  options?: { threshold?: number },
): RouteDecision {
  const auto = classifyTask(task, options);
  const alt = `classifier alone: ${auto.route} (${auto.score.toFixed(2)})`;
  if (mode === 'local' || mode === 'cloud')
    return { route: mode, score: auto.score, reasons: [`mode: ${MODE_LABEL[mode]} (forced)`, alt] };
  const command = typeof task?.command === 'string' ? task.command.toLowerCase() : '';
  const override = command && overrides && Object.hasOwn(overrides, command) ? overrides[command] : undefined;
  if (override === 'local' || override === 'cloud')
    return {
      route: override,
      score: auto.score,
      reasons: [`override: ${command} → ${MODE_LABEL[override]} (setting)`, alt],
    };
  return auto;
}
