import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const SCRIPT = resolve('scripts/checkBundleSize.mjs');

/** A stored (uncompressed) zip of the given files: what the script reads of a .vsix is the central directory. */
function zip(files: Record<string, Buffer>): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of Object.entries(files)) {
    const n = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(n.length, 26);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt32LE(data.length, 20);
    cd.writeUInt32LE(data.length, 24);
    cd.writeUInt16LE(n.length, 28);
    cd.writeUInt32LE(offset, 42);
    locals.push(local, n, data);
    central.push(cd, n);
    offset += 30 + n.length + data.length;
  }
  const cdBuf = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(cdBuf.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cdBuf, end]);
}

describe('scripts/checkBundleSize.mjs', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'llmgenie-size-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const run = (...args: string[]) => {
    const r = spawnSync(process.execPath, [SCRIPT, '--budget', join(dir, 'budget.json'), ...args], { encoding: 'utf8' });
    return { status: r.status, out: r.stdout + r.stderr };
  };

  it('records a budget, passes within 60 KB of it, fails beyond naming the file that grew, and says when there is no .vsix', () => {
    const vsix = join(dir, 'x.vsix');
    writeFileSync(vsix, zip({ 'extension/dist/extension.js': Buffer.alloc(10_000, 1), 'extension/package.json': Buffer.from('{}') }));
    assert.equal(run('--record', vsix).status, 0);
    const budget = JSON.parse(readFileSync(join(dir, 'budget.json'), 'utf8'));
    assert.equal(budget.maxGrowthBytes, 61_440);
    assert.equal(budget.files['extension/dist/extension.js'], 10_000);

    writeFileSync(vsix, zip({ 'extension/dist/extension.js': Buffer.alloc(60_000, 1), 'extension/package.json': Buffer.from('{}') }));
    const ok = run(vsix);
    assert.equal(ok.status, 0, ok.out);
    assert.match(ok.out, /\+48\.8 KB against the recorded/);

    writeFileSync(vsix, zip({ 'extension/dist/extension.js': Buffer.alloc(80_000, 1), 'extension/package.json': Buffer.from('{}') }));
    const over = run(vsix);
    assert.equal(over.status, 1);
    assert.match(over.out, /over the recorded .*grew most: extension\/dist\/extension\.js \+68\.4 KB/);
    assert.equal(over.out.trim().split('\n').length, 1, 'one line');

    const missing = run(join(dir, 'none.vsix'));
    assert.equal(missing.status, 2);
    assert.match(missing.out, /run "npm run package" first/);
  });
});
