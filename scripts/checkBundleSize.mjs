// The .vsix must not grow silently: its size is checked against the one recorded in scripts/bundleBudget.json,
// with room for maxGrowthBytes (60 KB), after `npm run package`. A deliberate growth is recorded with --record,
// in the same commit as the change that needed it, so the reason is in the history.
//   node scripts/checkBundleSize.mjs [--record] [--budget FILE] [path/to.vsix]
// Exit 0 within budget (or recorded), 1 over budget, 2 when there is nothing to check (no .vsix, bad budget file).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const record = args.includes('--record');
const budgetAt = args.indexOf('--budget');
const budgetFile = budgetAt >= 0 ? resolve(args[budgetAt + 1] ?? '') : join(repo, 'scripts', 'bundleBudget.json');
const positional = args.filter((a, i) => !a.startsWith('--') && (budgetAt < 0 || i !== budgetAt + 1));
const DEFAULT_GROWTH = 60 * 1024;

function fail(code, line) {
  process.stderr.write(`bundle size: ${line}\n`);
  process.exit(code);
}

const vsix = positional[0] ? resolve(positional[0]) : join(repo, `llmgenie-${JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')).version}.vsix`);
if (!existsSync(vsix)) fail(2, `no ${relative(process.cwd(), vsix) || vsix}: run "npm run package" first`);

/** Uncompressed size of each entry, from the zip's central directory (a .vsix is a zip). */
function zipEntries(buf) {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) fail(2, `${vsix} is not a zip file`);
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const out = {};
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(at) !== 0x02014b50) fail(2, `${vsix}: damaged central directory`);
    const size = buf.readUInt32LE(at + 24);
    const nameLen = buf.readUInt16LE(at + 28);
    const extraLen = buf.readUInt16LE(at + 30);
    const commentLen = buf.readUInt16LE(at + 32);
    out[buf.toString('utf8', at + 46, at + 46 + nameLen)] = size;
    at += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

const buf = readFileSync(vsix);
const now = { bytes: buf.length, files: zipEntries(buf) };
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

let budget;
if (existsSync(budgetFile)) {
  try {
    budget = JSON.parse(readFileSync(budgetFile, 'utf8'));
  } catch (e) {
    fail(2, `${budgetFile}: ${e.message}`);
  }
  if (!Number.isInteger(budget?.bytes) || (budget.maxGrowthBytes !== undefined && !Number.isInteger(budget.maxGrowthBytes))) fail(2, `${budgetFile}: "bytes" (and "maxGrowthBytes") must be whole numbers`);
} else if (!record) fail(2, `no budget at ${budgetFile}: record one with --record`);

if (record) {
  const next = { bytes: now.bytes, maxGrowthBytes: budget?.maxGrowthBytes ?? DEFAULT_GROWTH, files: now.files };
  writeFileSync(budgetFile, `${JSON.stringify(next, null, 2)}\n`);
  console.log(`bundle size: recorded ${kb(now.bytes)} (${Object.keys(now.files).length} files) in ${relative(repo, budgetFile)}`);
  process.exit(0);
}

const allowed = budget.bytes + (budget.maxGrowthBytes ?? DEFAULT_GROWTH);
const growth = now.bytes - budget.bytes;
if (now.bytes > allowed) {
  // Name the files that grew most (uncompressed), so the cause is one look away.
  const grew = Object.entries(now.files)
    .map(([f, size]) => [f, size - (budget.files?.[f] ?? 0)])
    .filter(([, d]) => d > 0)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([f, d]) => `${f} +${kb(d)}`);
  fail(1, `the .vsix is ${kb(now.bytes)}, ${kb(growth)} over the recorded ${kb(budget.bytes)} (allowed +${kb(allowed - budget.bytes)})${grew.length ? `; grew most: ${grew.join(', ')}` : ''}. Shrink it, or record the new size with "node scripts/checkBundleSize.mjs --record" and say why in the commit`);
}
console.log(`bundle size: ${kb(now.bytes)}, ${growth >= 0 ? `+${kb(growth)}` : `-${kb(-growth)}`} against the recorded ${kb(budget.bytes)} (allowed +${kb(allowed - budget.bytes)})`);
