// Offline trainer for the router: L2-regularised logistic regression over the transparent features, fitted by
// full-batch gradient descent from zero (deterministic: same data → same weights). Reads only the training split;
// the held-out split is for bench/router-classify.bench.ts. Run: npx tsx scripts/train-router.ts
// Cross-validation folds are grouped by code context (all tasks on one snippet share a fold), so the threshold and
// L2 are not chosen on near-copies of the training rows.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadRoutingModel, type RoutingModel } from '../src/core/router/classifier';
import { extractFeatures, FEATURE_NAMES } from '../src/core/router/features';
import { accuracy, chooseThresholds, parseRoutingDataset, tradeOffCurve } from '../src/core/router/routingDataset';
import { routingModelFingerprint } from './routerFingerprint';
import { userInstruction } from '../src/core/router/taskFeatures';

const userInstructionOf = (e: { prompt: string; command?: string }): string => userInstruction(e.prompt, e.command) || '(command only)';

// L2 strength is chosen by 5-fold cross-validation on the training split (ties go to the stronger penalty, which
// keeps weights small and reasons stable); the held-out split is never looked at here.
const L2_CANDIDATES = [0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02];
const EPOCHS = 5000;
const RATE = 0.5;
const FOLDS = 5;

const root = process.cwd();
const train = parseRoutingDataset(readFileSync(join(root, 'data/routing/train.jsonl'), 'utf8'), 'train.jsonl');
const X = train.map((e) => extractFeatures(e));
const y = train.map((e) => (e.label === 'cloud' ? 1 : 0));
const n = X.length;
const d = FEATURE_NAMES.length;
// Tasks on one code context ("go-lru-3") share a fold; free-form tasks without code (blocks named free…) are
// each their own group.
const group = train.map((e) => (/^free\w*-\d+$/.test(e.id) ? e.id : e.id.replace(/-\d+$/, '')));
const groupIds = [...new Set(group)];
const foldOf = train.map((_, i) => groupIds.indexOf(group[i]!) % FOLDS);

function fit(rows: number[], l2: number): { w: number[]; b: number } {
  const w = new Array<number>(d).fill(0);
  let b = 0;
  const m = rows.length;
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    const gw = new Array<number>(d).fill(0);
    let gb = 0;
    for (const i of rows) {
      const x = X[i]!;
      let z = b;
      for (let j = 0; j < d; j++) z += w[j]! * x[j]!;
      const err = 1 / (1 + Math.exp(-z)) - y[i]!;
      gb += err;
      for (let j = 0; j < d; j++) gw[j]! += err * x[j]!;
    }
    for (let j = 0; j < d; j++) w[j]! -= RATE * (gw[j]! / m + l2 * w[j]!);
    b -= (RATE * gb) / m;
  }
  return { w, b };
}

/** Out-of-fold cloud probabilities: each task scored by a model that never saw its code context. */
function outOfFold(l2: number): number[] {
  const scores = new Array<number>(n).fill(0);
  for (let f = 0; f < FOLDS; f++) {
    const { w, b } = fit(X.map((_, i) => i).filter((i) => foldOf[i] !== f), l2);
    for (let i = 0; i < n; i++) {
      if (foldOf[i] !== f) continue;
      let z = b;
      for (let j = 0; j < d; j++) z += w[j]! * X[i]![j]!;
      scores[i] = 1 / (1 + Math.exp(-z));
    }
  }
  return scores;
}

let L2 = L2_CANDIDATES[0]!;
let bestCv = -1;
let oof: number[] = [];
const labels = train.map((e) => e.label);
// L2 is judged where the model is used: accuracy at its own cost-sensitive threshold, out of fold.
let bestAtCut = -1;
for (const l2 of L2_CANDIDATES) {
  const s = outOfFold(l2);
  const acc = s.filter((p, i) => (p >= 0.5 ? 1 : 0) === y[i]).length / n;
  const atCut = chooseThresholds(s, labels);
  console.log(`  l2 ${l2}: ${FOLDS}-fold grouped cv accuracy ${(acc * 100).toFixed(1)}% at 0.5, ${(atCut.accuracy * 100).toFixed(1)}% at ${atCut.threshold} (hard local ${(atCut.hardLocal * 100).toFixed(1)}%)`);
  if (atCut.accuracy >= bestAtCut) [L2, bestCv, bestAtCut, oof] = [l2, acc, atCut.accuracy, s];
}
const cut = chooseThresholds(oof, labels);
console.log(
  `  threshold ${cut.threshold} (cv: ${(cut.accuracy * 100).toFixed(1)}% accurate, ${(cut.hardLocal * 100).toFixed(1)}% of hard tasks local, ${(cut.localShare * 100).toFixed(1)}% local); uncertain from ${cut.uncertainFrom}`,
);
// The out-of-fold trade-off curve the threshold was chosen from, kept in the model so the bench can print it.
const cvCurve = tradeOffCurve(oof, labels, Array.from({ length: 19 }, (_, i) => Math.round((i + 1) * 5) / 100)).map((p) => ({
  t: p.threshold,
  hardLocal: Math.round(p.hardLocal * 1e4) / 1e4,
  localShare: Math.round(p.localShare * 1e4) / 1e4,
  accuracy: Math.round(p.accuracy * 1e4) / 1e4,
}));
for (const p of cvCurve) console.log(`    t ${p.t.toFixed(2)}: hard local ${(p.hardLocal * 100).toFixed(1)}%, local share ${(p.localShare * 100).toFixed(1)}%, accuracy ${(p.accuracy * 100).toFixed(1)}%`);
const { w, b } = fit(X.map((_, i) => i), L2);

const round = (v: number): number => Math.round(v * 1e4) / 1e4;
const means = FEATURE_NAMES.map((_, j) => round(X.reduce((s, x) => s + x[j]!, 0) / n));
const draft: RoutingModel = {
  version: 1,
  source: 'scripts/train-router.ts on data/routing/train.jsonl',
  features: [...FEATURE_NAMES],
  weights: w.map(round),
  bias: round(b),
  means,
  threshold: cut.threshold,
  uncertainFrom: cut.uncertainFrom,
};
const predict = (x: number[]): 'local' | 'cloud' => {
  let z = draft.bias;
  for (let j = 0; j < d; j++) z += draft.weights[j]! * x[j]!;
  return z >= 0 ? 'cloud' : 'local';
};
const trainAccuracy = accuracy(train, (t) => predict(extractFeatures(t)));
const model = loadRoutingModel({
  ...draft,
  training: {
    examples: n,
    cloudShare: round(y.reduce((s, v) => s + v, 0) / n),
    trainAccuracy: round(trainAccuracy),
    cvAccuracy: round(bestCv),
    cvAtThreshold: { accuracy: round(cut.accuracy), hardLocal: round(cut.hardLocal), localShare: round(cut.localShare) },
    cvCurve,
    l2: L2,
    epochs: EPOCHS,
    fingerprint: routingModelFingerprint(root),
  },
});

const file = join(root, 'src/core/router/routingModel.ts');
writeFileSync(
  file,
  `// Generated by \`npx tsx scripts/train-router.ts\` from data/routing/train.jsonl. Do not edit by hand: retrain.\n` +
    `// Validated against the feature extractor by loadRoutingModel() in classifier.ts on the first classification, not\n` +
    `// at import (so the trainer can import a stale model); test/core/router/classifier.test.ts checks it on every run.\n\n` +
    `export const routingModel = ${JSON.stringify(model, null, 2)};\n`,
);

console.log(`trained on ${n} tasks with l2 ${L2}: train accuracy ${(trainAccuracy * 100).toFixed(1)}%, cv ${(bestCv * 100).toFixed(1)}%`);
const order = FEATURE_NAMES.map((f, j) => ({ f, w: model.weights[j]! })).sort((a, b) => Math.abs(b.w) - Math.abs(a.w));
for (const { f, w } of order) console.log(`  ${f.padEnd(16)} ${w >= 0 ? '+' : ''}${w.toFixed(3)}`);
console.log(`  ${'bias'.padEnd(16)} ${model.bias.toFixed(3)}`);
// --errors: the training tasks the out-of-fold model gets wrong at the chosen threshold (never the held-out split).
if (process.argv.includes('--errors'))
  train.forEach((e, i) => {
    const p = oof[i]! >= cut.threshold ? 'cloud' : 'local';
    if (p !== e.label) console.log(`  miss ${e.id} [${e.label}] oof ${oof[i]!.toFixed(2)} ${e.command ?? '-'}: ${userInstructionOf(e).slice(0, 90)}`);
  });
// --errors also lists the hard tasks the out-of-fold model scores lowest: they set the cost-sensitive threshold.
if (process.argv.includes('--errors'))
  train
    .map((e, i) => ({ e, s: oof[i]! }))
    .filter((r) => r.e.label === 'cloud')
    .sort((a, b) => a.s - b.s)
    .slice(0, 20)
    .forEach(({ e, s }) => console.log(`  low hard ${e.id} oof ${s.toFixed(3)} ${e.command ?? '-'}: ${userInstructionOf(e).slice(0, 90)}`));
