// Learning from outcomes, simulated: does a workspace's recalibration (src/core/router/calibration.ts) fix a
// command + language the shipped classifier gets wrong, without spoiling the ones it gets right? A simulation, not
// a measurement of real users: each key has a true share of tasks that need Claude and a score distribution the
// classifier gives them; the loop routes, observes what a user would (a hard task answered locally escalates; an
// easy local answer is applied or copied half the time; a task sent to Claude says nothing), records it, and
// recalibrates. The baseline beside it is the shipped threshold with no learning.
import { calibrate, calibrationKey, type FeedbackRecord } from '../src/core/router/calibration';
import { makeRng, type Rng } from './fixtures/rng';
import type { Emit } from './run';

const bench = 'router-feedback';
const SHIPPED = 0.5;
const TASKS_PER_KEY = 200;
const SEEDS = 20;
const ACCEPT_RATE = 0.5;

interface Key {
  name: string;
  command: string;
  language: string;
  /** Share of the key's tasks that need Claude. */
  hardShare: number;
  /** Score the classifier gives a hard / an easy task of this key: uniform in [lo, hi]. */
  hard: [number, number];
  easy: [number, number];
}

const KEYS: readonly Key[] = [
  // The shipped model misses what makes these hard (e.g. unsafe Rust explained): hard tasks score low.
  { name: 'miscalibrated-hard', command: 'explain', language: 'rust', hardShare: 0.6, hard: [0.15, 0.45], easy: [0.05, 0.35] },
  // The shipped model is right: easy tasks low, the few hard ones high.
  { name: 'well-calibrated-easy', command: 'tests', language: 'typescript', hardShare: 0.1, hard: [0.55, 0.9], easy: [0.02, 0.4] },
  // Mixed, informative scores around the threshold.
  { name: 'mixed', command: 'refactor', language: 'go', hardShare: 0.35, hard: [0.35, 0.85], easy: [0.1, 0.6] },
];

const draw = (rng: Rng, [lo, hi]: [number, number]): number => lo + (hi - lo) * rng();

interface Outcome {
  hardSentLocal: number;
  hard: number;
  local: number;
  tasks: number;
}

function simulate(key: Key, rng: Rng, learn: boolean): Outcome {
  const records: FeedbackRecord[] = [];
  const out: Outcome = { hardSentLocal: 0, hard: 0, local: 0, tasks: 0 };
  for (let i = 0; i < TASKS_PER_KEY; i++) {
    const hard = rng() < key.hardShare;
    const score = draw(rng, hard ? key.hard : key.easy);
    const threshold = learn ? (calibrate(records).get(calibrationKey(key.command, key.language))?.threshold ?? SHIPPED) : SHIPPED;
    const local = score < threshold;
    out.tasks++;
    if (hard) out.hard++;
    if (local) out.local++;
    if (hard && local) out.hardSentLocal++;
    const base = { v: 1 as const, time: new Date(i * 1000).toISOString(), taskId: `t${i}`, command: key.command, language: key.language, score, threshold: SHIPPED };
    if (local && hard) records.push({ ...base, outcome: 'escalated' });
    else if (local && rng() < ACCEPT_RATE) records.push({ ...base, outcome: 'accepted-local' });
  }
  return out;
}

export async function run(emit: Emit): Promise<void> {
  const r = (v: number) => Math.round(v * 1e4) / 1e4;
  for (const key of KEYS) {
    const sum = { shipped: { hsl: 0, hard: 0, local: 0, tasks: 0 }, learnt: { hsl: 0, hard: 0, local: 0, tasks: 0 } };
    for (let seed = 1; seed <= SEEDS; seed++) {
      for (const [name, learn] of [['shipped', false], ['learnt', true]] as const) {
        // Same seed for both arms: the same tasks, routed two ways.
        const o = simulate(key, makeRng(seed * 7919), learn);
        sum[name].hsl += o.hardSentLocal;
        sum[name].hard += o.hard;
        sum[name].local += o.local;
        sum[name].tasks += o.tasks;
      }
    }
    const rate = (s: typeof sum.shipped) => ({ hardSentLocal: r(s.hsl / Math.max(1, s.hard)), localShare: r(s.local / s.tasks) });
    const shipped = rate(sum.shipped);
    const learnt = rate(sum.learnt);
    emit({ bench, metric: `${key.name}_hard_sent_local`, value: learnt.hardSentLocal, unit: 'ratio', baselineShipped: shipped.hardSentLocal, tasks: sum.learnt.tasks, simulated: true });
    emit({ bench, metric: `${key.name}_local_share`, value: learnt.localShare, unit: 'ratio', baselineShipped: shipped.localShare, simulated: true });
  }
}
