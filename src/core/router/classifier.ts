// Routes an editor task to the local model or to the cloud: a logistic regression over transparent features of the
// whole task (src/core/router/features.ts), trained offline by scripts/train-router.ts. No training happens at
// runtime. The threshold is the cost-sensitive one chosen by the trainer; just below it lies the uncertain band.
import { z } from 'zod';
import { FEATURE_NAMES, FEATURE_SPECS, featureVector, measureTask, type RoutingTask, type TaskMeasures } from './features';
import { routingModel } from './routingModel';

export type { RoutingTask } from './features';

export interface RouteDecision {
  route: 'local' | 'cloud';
  /** Probability that the task needs the cloud model, 0..1. */
  score: number;
  /** Human-readable, strongest first, e.g. "locks, threads or channels", "a mechanical edit". */
  reasons: string[];
  /** Score at or above which Auto sends the task to Claude. */
  threshold?: number;
  /**
   * 'uncertain': the score is just below the threshold; the task goes local first with the strictest answer
   * checks and escalates on any doubt. Forced routes and overrides are 'confident'.
   */
  band?: 'confident' | 'uncertain';
  /** One line in the user's terms: "Rust, unsafe pointer code, 48 lines → Claude". */
  summary?: string;
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
  /** Start of the uncertain band (≤ threshold); absent means no band. */
  uncertainFrom: z.number().min(0).max(1).optional(),
  training: z
    .object({
      examples: z.number().int(),
      cloudShare: z.number(),
      trainAccuracy: z.number(),
      cvAccuracy: z.number().optional(),
      /** Out-of-fold figures at the shipped threshold (grouped cross-validation on train). */
      cvAtThreshold: z.object({ accuracy: z.number(), hardLocal: z.number(), localShare: z.number() }).optional(),
      /** Out-of-fold trade-off curve the threshold was chosen from. */
      cvCurve: z.array(z.object({ t: z.number(), hardLocal: z.number(), localShare: z.number(), accuracy: z.number() })).optional(),
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

// The shipped weights are imported with this module, but checked against the extractor on first use rather than
// at import, so the trainer can import this module while the shipped model is stale; the check still fails loudly
// on the first classification (and in classifier.test.ts).
let shipped: RoutingModel | undefined;
const defaultModel = (): RoutingModel => (shipped ??= loadRoutingModel(routingModel));

/** Below this |contribution| (in logits) a feature is not worth naming. */
const MIN_REASON = 0.35;
const MAX_REASONS = 3;

const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));

export interface ClassifyOptions {
  /** Replaces the model's threshold (the uncertain band keeps its width below it). */
  threshold?: number;
  model?: RoutingModel;
}

export function classifyTask(task: RoutingTask, options?: ClassifyOptions): RouteDecision {
  const model = options?.model ?? defaultModel();
  const measures = measureTask(task);
  const x = featureVector(measures);
  let logit = model.bias;
  for (let i = 0; i < x.length; i++) logit += model.weights[i]! * x[i]!;
  const score = Math.round(sigmoid(logit) * 1e4) / 1e4;
  const threshold = options?.threshold ?? model.threshold;
  const width = Math.max(0, model.threshold - (model.uncertainFrom ?? model.threshold));
  const route: RouteDecision['route'] = score >= threshold ? 'cloud' : 'local';
  const band: RouteDecision['band'] = route === 'local' && width > 0 && score >= threshold - width ? 'uncertain' : 'confident';
  const contributions = contributionsOf(model, x, route);
  const reasons = contributions.slice(0, MAX_REASONS).map((c) => c.label);
  if (reasons.length === 0) reasons.push(route === 'local' ? 'no complexity cues: routine task' : 'overall complexity of the task');
  return { route, score, reasons, threshold, band, summary: summarise(measures, contributions, route, band) };
}

interface Contribution {
  label: string;
  c: number;
  trait: boolean;
}

// A feature's contribution is measured against the training mean, so long code only counts as a reason when it
// is longer than usual, and a binary trait counts when present.
function contributionsOf(model: RoutingModel, x: number[], route: RouteDecision['route']): Contribution[] {
  const sign = route === 'cloud' ? 1 : -1;
  const picked: Contribution[] = [];
  for (let i = 0; i < x.length; i++) {
    const delta = x[i]! - model.means[i]!;
    const c = model.weights[i]! * delta * sign;
    if (c < MIN_REASON) continue;
    const spec = FEATURE_SPECS[i]!;
    // An absent trait is not a reason ("no concurrency" is not why something is local).
    if (delta < 0 && !spec.lowLabel) continue;
    picked.push({ label: delta < 0 ? spec.lowLabel! : spec.label, c, trait: spec.trait === true });
  }
  return picked.sort((a, b) => b.c - a.c);
}

const LANGUAGE_NAMES: Record<string, string> = {
  c: 'C', cpp: 'C++', csharp: 'C#', go: 'Go', rust: 'Rust', java: 'Java', kotlin: 'Kotlin', swift: 'Swift', scala: 'Scala',
  python: 'Python', ruby: 'Ruby', php: 'PHP', javascript: 'JavaScript', javascriptreact: 'JavaScript (React)',
  typescript: 'TypeScript', typescriptreact: 'TypeScript (React)', shellscript: 'Shell', sql: 'SQL', yaml: 'YAML',
  json: 'JSON', markdown: 'Markdown', html: 'HTML', css: 'CSS', dart: 'Dart', lua: 'Lua', vue: 'Vue', svelte: 'Svelte',
};

const plural = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`;

/** "Rust, unsafe pointer code, 48 lines → Claude": the language, the strongest traits, the size, the route. */
function summarise(m: TaskMeasures, contributions: Contribution[], route: RouteDecision['route'], band: RouteDecision['band']): string {
  const parts: string[] = [];
  if (m.language) parts.push(LANGUAGE_NAMES[m.language] ?? m.language);
  // Size is said once, below, so size traits are not repeated as words.
  const traits = contributions.filter((c) => c.trait && !/^(?:long|short) code$/.test(c.label)).slice(0, 2);
  parts.push(...traits.map((c) => c.label));
  if (m.diff) parts.push(`${plural(m.diff.files, 'file')} changed`);
  else if (m.code) parts.push(plural(m.code.lines, 'line'));
  else parts.push('no code');
  const to = route === 'cloud' ? 'Claude' : band === 'uncertain' ? 'local model first (uncertain: strict checks)' : 'local model';
  return `${parts.join(', ')} → ${to}`;
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
  const base = (auto.summary ?? '').replace(/ → .*$/, '');
  const to = (r: 'local' | 'cloud') => (r === 'cloud' ? 'Claude' : 'local model');
  if (mode === 'local' || mode === 'cloud')
    return {
      route: mode,
      score: auto.score,
      reasons: [`mode: ${MODE_LABEL[mode]} (forced)`, alt],
      threshold: auto.threshold!,
      band: 'confident',
      summary: `${base} → ${to(mode)} (mode: ${MODE_LABEL[mode]})`,
    };
  const command = typeof task?.command === 'string' ? task.command.toLowerCase() : '';
  const override = command && overrides && Object.hasOwn(overrides, command) ? overrides[command] : undefined;
  if (override === 'local' || override === 'cloud')
    return {
      route: override,
      score: auto.score,
      reasons: [`override: ${command} → ${MODE_LABEL[override]} (setting)`, alt],
      threshold: auto.threshold!,
      band: 'confident',
      summary: `${base} → ${to(override)} (${command} override)`,
    };
  return auto;
}
