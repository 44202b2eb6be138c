// A workspace's own routing threshold per command + language, learnt from what happened to its tasks: escalations
// and "Re-run on Claude" clicks say a task needed Claude, an applied or copied local answer says the local model
// was enough. Pure: the examples come from `.llmgenie/routing-feedback.jsonl` (feedback.ts).
import { EDITOR_COMMAND_TITLES, type EditorCommand } from './editorTasks';

export type FeedbackOutcome = 'escalated' | 'rerun-cloud' | 'accepted-local';

/** One labelled example, as a line of the feedback file. Never holds code or the answer. */
export interface FeedbackRecord {
  v: 1;
  /** ISO time. */
  time: string;
  /** The task it came from, so one task's copies and applies count once. */
  taskId?: string;
  command: string;
  /** Normalised language id ('typescript', 'rust'…), 'none' without a file. */
  language: string;
  /** The classifier's score for the task (probability it needs the cloud). */
  score: number;
  /** The threshold that was in force when the task was routed. */
  threshold: number;
  outcome: FeedbackOutcome;
  /** Why it escalated (masked), for an escalation. */
  reason?: string;
}

export const labelOf = (outcome: FeedbackOutcome): 'cloud' | 'local' => (outcome === 'accepted-local' ? 'local' : 'cloud');

/** The newest examples per command + language that count: old habits should not outvote recent ones. */
export const CALIBRATION_WINDOW = 10;
/** Fewer examples than this never move a threshold. */
export const MIN_EXAMPLES = 3;
/**
 * A hard task sent local costs a wrong answer, a wasted local run and the user's time; an easy task sent to
 * Claude costs cents. The recalibrated threshold minimises this weighted count of mistakes on the examples.
 */
const HARD_SENT_LOCAL_COST = 2;
const EASY_SENT_CLOUD_COST = 1;
/** Thresholds are placed this far past an example's score so that task (and ones just like it) lands on its side. */
const MARGIN = 0.01;

export interface KeyCalibration {
  command: string;
  language: string;
  /** The threshold this workspace now uses for the key. */
  threshold: number;
  /** The shipped threshold it replaces (the one in force when the newest example was routed). */
  shipped: number;
  examples: number;
  cloudLabels: number;
  localLabels: number;
  escalations: number;
  reruns: number;
  /** In the user's terms: "3 of your last 5 Explain tasks on Rust were escalated: Explain on Rust now goes to Claude". */
  explanation: string;
}

export type Calibration = Map<string, KeyCalibration>;

export const calibrationKey = (command: string, language: string): string => `${command}\u0000${language}`;

/**
 * Recalibrates each command + language from its newest examples: among candidate thresholds (the shipped one
 * and one just either side of each example's score) the one with the fewest weighted mistakes wins, ties going
 * to the one nearest the shipped threshold, so the route only moves when the examples say it should.
 */
export function calibrate(records: readonly FeedbackRecord[]): Calibration {
  const byKey = new Map<string, FeedbackRecord[]>();
  for (const r of dedupe(records)) {
    const k = calibrationKey(r.command, r.language);
    const list = byKey.get(k) ?? [];
    list.push(r);
    byKey.set(k, list);
  }
  const out: Calibration = new Map();
  for (const [k, all] of byKey) {
    const recent = all.slice(-CALIBRATION_WINDOW);
    if (recent.length < MIN_EXAMPLES) continue;
    const shipped = recent.at(-1)!.threshold;
    const threshold = bestThreshold(recent, shipped);
    if (Math.abs(threshold - shipped) < 1e-9) continue;
    const first = recent[0]!;
    const counts = {
      cloudLabels: recent.filter((r) => labelOf(r.outcome) === 'cloud').length,
      localLabels: recent.filter((r) => labelOf(r.outcome) === 'local').length,
      escalations: recent.filter((r) => r.outcome === 'escalated').length,
      reruns: recent.filter((r) => r.outcome === 'rerun-cloud').length,
    };
    const key: Omit<KeyCalibration, 'explanation'> = { command: first.command, language: first.language, threshold, shipped, examples: recent.length, ...counts };
    out.set(k, { ...key, explanation: explainCalibration(key, recent) });
  }
  return out;
}

function bestThreshold(examples: readonly FeedbackRecord[], shipped: number): number {
  const candidates = new Set<number>([shipped]);
  for (const e of examples) {
    candidates.add(clamp(e.score - MARGIN));
    candidates.add(clamp(e.score + MARGIN));
  }
  let best = shipped;
  let bestCost = Infinity;
  for (const t of candidates) {
    let cost = 0;
    for (const e of examples) {
      const cloud = e.score >= t;
      if (labelOf(e.outcome) === 'cloud' && !cloud) cost += HARD_SENT_LOCAL_COST;
      else if (labelOf(e.outcome) === 'local' && cloud) cost += EASY_SENT_CLOUD_COST;
    }
    if (cost < bestCost || (cost === bestCost && Math.abs(t - shipped) < Math.abs(best - shipped))) {
      best = t;
      bestCost = cost;
    }
  }
  return best;
}

/** Copies and applies of one task's answer are one example; so are repeated escalations of one task. */
function dedupe(records: readonly FeedbackRecord[]): FeedbackRecord[] {
  const seen = new Set<string>();
  const out: FeedbackRecord[] = [];
  for (const r of records) {
    if (r.taskId) {
      const k = `${r.taskId}\u0000${labelOf(r.outcome)}`;
      if (seen.has(k)) continue;
      seen.add(k);
    }
    out.push(r);
  }
  return out;
}

const clamp = (t: number): number => Math.round(Math.min(1, Math.max(0, t)) * 1e4) / 1e4;

export function commandTitle(command: string): string {
  return EDITOR_COMMAND_TITLES[command as EditorCommand] ?? (command === 'fix' ? 'Fix' : capitalise(command));
}

const LANGUAGE_NAMES: Record<string, string> = {
  typescript: 'TypeScript', typescriptreact: 'TypeScript React', javascript: 'JavaScript', javascriptreact: 'JavaScript React',
  python: 'Python', rust: 'Rust', go: 'Go', java: 'Java', kotlin: 'Kotlin', csharp: 'C#', cpp: 'C++', c: 'C', php: 'PHP',
  ruby: 'Ruby', swift: 'Swift', scala: 'Scala', shellscript: 'shell', sql: 'SQL', diff: 'a diff', none: 'no file',
};

export function languageName(language: string): string {
  return LANGUAGE_NAMES[language] ?? capitalise(language);
}

function capitalise(s: string): string {
  return s ? s[0]!.toUpperCase() + s.slice(1) : s;
}

function explainCalibration(c: Omit<KeyCalibration, 'explanation'>, recent: readonly FeedbackRecord[]): string {
  const what = `${commandTitle(c.command)} on ${languageName(c.language)}`;
  const tasks = `of your last ${c.examples} ${commandTitle(c.command)} tasks on ${languageName(c.language)}`;
  const allCloud = recent.every((r) => r.score >= c.threshold);
  const allLocal = recent.every((r) => r.score < c.threshold);
  if (c.threshold < c.shipped) {
    const did = c.reruns === 0 ? 'were escalated' : c.escalations === 0 ? 'were re-run on Claude' : 'were escalated or re-run on Claude';
    const now = allCloud ? `${what} now goes to Claude` : `${what} now goes to Claude from score ${c.threshold.toFixed(2)} (shipped ${c.shipped.toFixed(2)})`;
    return `${c.cloudLabels} ${tasks} ${did}: ${now}`;
  }
  const now = allLocal ? `${what} now stays local` : `${what} now stays local below score ${c.threshold.toFixed(2)} (shipped ${c.shipped.toFixed(2)})`;
  return `${c.localLabels} ${tasks} were answered well locally (applied or copied): ${now}`;
}
