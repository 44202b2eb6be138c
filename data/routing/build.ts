// Builds train.jsonl / test.jsonl from the hand-written task lists in source/. Run: npx tsx data/routing/build.ts
// The lists are the dataset; this script only attaches the code contexts named on each line, gives neutral ids and
// makes a seeded split stratified by label and prompt-length band, so both splits carry the length trap equally.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = join(process.cwd(), 'data', 'routing');
const TEST_SHARE = 0.25;

interface Item {
  id: string;
  prompt: string;
  context?: string;
  command?: string;
  label: 'local' | 'cloud';
}

function readList(file: string, label: Item['label']): Omit<Item, 'id'>[] {
  const out: Omit<Item, 'id'>[] = [];
  readFileSync(join(dir, 'source', file), 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (!line.trim() || line.startsWith('#')) return;
      const m = /^(\S+) (\S+) :: (.+)$/.exec(line);
      if (!m) throw new Error(`${file}:${i + 1}: expected "<command|-> <context|-> :: <prompt>"`);
      const [, command, ctx, prompt] = m;
      const item: Omit<Item, 'id'> = { prompt: prompt!.trim(), label };
      if (command !== '-') item.command = command;
      if (ctx !== '-') item.context = readFileSync(join(dir, 'source', 'contexts', ctx!), 'utf8');
      out.push(item);
    });
  return out;
}

function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = mulberry32(20240604);
function shuffle<T>(xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}

const band = (p: string): number => (p.length < 60 ? 0 : p.length < 200 ? 1 : 2);
const all = shuffle([...readList('local.txt', 'local'), ...readList('cloud.txt', 'cloud')]);
const seen = new Set<string>();
for (const it of all) {
  if (seen.has(it.prompt)) throw new Error(`duplicate prompt: ${it.prompt}`);
  seen.add(it.prompt);
}
const items: Item[] = all.map((it, i) => ({
  id: `r${String(i + 1).padStart(3, "0")}`,
  prompt: it.prompt,
  ...(it.context !== undefined ? { context: it.context } : {}),
  ...(it.command !== undefined ? { command: it.command } : {}),
  label: it.label,
}));

const train: Item[] = [];
const test: Item[] = [];
for (const label of ['local', 'cloud'] as const)
  for (const b of [0, 1, 2]) {
    const group = items.filter((it) => it.label === label && band(it.prompt) === b);
    const nTest = Math.round(group.length * TEST_SHARE);
    group.forEach((it, i) => (i < nTest ? test : train).push(it));
  }

const byId = (a: Item, b: Item): number => a.id.localeCompare(b.id);
const jsonl = (xs: Item[]): string => xs.sort(byId).map((x) => JSON.stringify(x)).join('\n') + '\n';
writeFileSync(join(dir, 'train.jsonl'), jsonl(train));
writeFileSync(join(dir, 'test.jsonl'), jsonl(test));

for (const [name, xs] of [['train', train], ['test', test]] as const) {
  const stats = (['local', 'cloud'] as const).map((l) => {
    const ls = xs.filter((x) => x.label === l).map((x) => x.prompt.length).sort((a, b) => a - b);
    return `${l} ${ls.length} (median prompt ${ls[Math.floor(ls.length / 2)]} chars, bands ${[0, 1, 2].map((b) => xs.filter((x) => x.label === l && band(x.prompt) === b).length).join('/')})`;
  });
  console.log(`${name}: ${xs.length} tasks; ${stats.join('; ')}`);
}
