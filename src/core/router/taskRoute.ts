// How a task is routed before anything runs: the classifier on the whole task, the per-command settings, this
// workspace's calibration from its own outcomes, and the uncertain band (local first, strictest checks).
import { decideRoute, type RouteDecision } from './classifier';
import { calibratedDecision, feedbackLanguage } from './feedback';
import type { RouterDeps, TaskInput } from './runTask';
import type { RouterSettings } from './settings';
import { routeSummary } from './taskSummary';

/** Fields the classifier adds to a decision (on the router model's branch); optional so both sides compile. */
export interface DecisionExtras {
  band?: 'confident' | 'uncertain';
  threshold?: number;
  /** In the user's terms, e.g. "Rust, unsafe pointer code, 140 lines → Claude". */
  summary?: string;
}

/** The threshold in force when a decision does not say: the classifier's shipped default. */
export const FALLBACK_THRESHOLD = 0.5;

/** How the task was routed, for the answer view, the status bar and the feedback it may produce. */
export interface RoutingInfo {
  score: number;
  threshold: number;
  /** Normalised language the task is calibrated under ('none' without a file). */
  language: string;
  /** The route was uncertain: the task went local first with the strictest checks. */
  uncertain: boolean;
  summary: string;
  /** Set when this workspace's feedback moved the route: why, in the user's terms. */
  calibration?: string;
}

/**
 * The route of the whole task: the classifier on the user's words, the command and the code; then, in Auto mode
 * without a per-command override, this workspace's calibration; an uncertain decision goes local first.
 */
export async function routeTask(
  task: TaskInput,
  command: string,
  settings: RouterSettings,
  deps: RouterDeps,
  notice: (message: string, level?: 'info' | 'warning') => void,
): Promise<{ decision: RouteDecision; routing: RoutingInfo }> {
  const routingTask = {
    ...(task.id ? { id: task.id } : {}),
    command,
    prompt: task.routeOn?.instruction ?? task.instruction ?? task.prompt,
    ...(task.routeOn ? (task.routeOn.context !== undefined ? { context: task.routeOn.context } : {}) : task.context !== undefined ? { context: task.context } : {}),
    ...(task.language ? { language: task.language } : {}),
    ...(task.fileName ? { fileName: task.fileName } : {}),
  };
  const raw = (deps.decide ?? decideRoute)(routingTask, settings.mode, settings.overrides) as RouteDecision & DecisionExtras;
  const language = feedbackLanguage(task.language);
  const overridden = settings.overrides[command] === 'local' || settings.overrides[command] === 'cloud';
  let calibration;
  if (deps.feedback && settings.mode === 'auto' && !overridden) {
    try {
      calibration = await deps.feedback.calibration();
    } catch (e) {
      notice(`Could not read this workspace's routing feedback: ${(e as Error).message}`, 'warning');
    }
  }
  const adjusted = calibratedDecision(raw, raw.threshold ?? FALLBACK_THRESHOLD, calibration, { command, language });
  let decision: RouteDecision & DecisionExtras = adjusted.decision;
  // The workspace's own outcomes settle an uncertain call; otherwise an uncertain task is tried locally first.
  const uncertain = settings.mode === 'auto' && !overridden && !adjusted.calibrated && raw.band === 'uncertain' && !!deps.local;
  if (uncertain && decision.route === 'cloud') decision = { ...decision, route: 'local', reasons: ['uncertain: trying the local model first, strictest checks', ...decision.reasons] };
  // A conversation Claude already answered stays with Claude: a small model would be continuing a harder thread.
  const keepCloud = task.routeOn?.keepCloud;
  if (keepCloud && settings.mode === 'auto' && !overridden && decision.route === 'local' && deps.cloud) decision = { ...decision, route: 'cloud', reasons: [keepCloud, ...decision.reasons] };
  const routing: RoutingInfo = {
    score: raw.score,
    threshold: adjusted.threshold,
    language,
    uncertain,
    summary: routeSummary(keepCloud && decision.route !== raw.route ? { route: decision.route, reasons: decision.reasons } : raw, decision.route, task.routeOn ? { ...(task.language ? { language: task.language } : {}), ...(task.routeOn.context !== undefined ? { context: task.routeOn.context } : {}) } : task, uncertain),
    ...(adjusted.calibrated ? { calibration: adjusted.calibrated.explanation } : {}),
  };
  return { decision, routing };
}

/** An escalation is a labelled example for this workspace: tasks like this one needed Claude. */
export async function recordEscalation(
  deps: RouterDeps,
  task: TaskInput,
  command: string,
  routing: RoutingInfo,
  reason: string,
  notice: (message: string, level?: 'info' | 'warning') => void,
): Promise<void> {
  if (!deps.feedback) return;
  try {
    await deps.feedback.record({ ...(task.id ? { taskId: task.id } : {}), command, language: routing.language, score: routing.score, threshold: routing.threshold, outcome: 'escalated', reason });
  } catch (e) {
    notice(`Could not record routing feedback: ${(e as Error).message}`, 'warning');
  }
}

