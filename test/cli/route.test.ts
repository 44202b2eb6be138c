import assert from 'node:assert/strict';
import type { CliIO } from '../../src/cli/command';
import { UsageError } from '../../src/cli/command';
import { commands, createRouteCommand } from '../../src/cli/commands/route';
import { runCli } from '../../src/cli/main';
import { MemoryFileSystem } from '../support/memoryFileSystem';

const LOCKED = `package cache\n\nimport "sync"\n\ntype C struct {\n\tmu sync.Mutex\n\tm  map[string]int\n}\n\nfunc (c *C) Incr(k string) {\n\tc.mu.Lock()\n\tgo func() { c.mu.Lock(); c.m[k]++; c.mu.Unlock() }()\n\tc.mu.Unlock()\n}\n`;

async function run(args: string[], stdin: string, files: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { cwd: '/ws', env: {}, out: (t) => (out += t), err: (t) => (err += t), readStdin: async () => stdin };
  const code = await createRouteCommand({ fs: new MemoryFileSystem(files) }).run(args, io);
  return { code, out, err };
}

const lines = (s: string): Record<string, unknown>[] =>
  s
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('llmgenie route', () => {
  const input = [
    JSON.stringify({ id: 'a', command: 'explain', prompt: '', context: LOCKED, language: 'go', fileName: 'cache.go' }),
    '{"id":null,"prompt":"rename usrCnt to amount","context":"const usrCnt = 1;","command":"refactor","language":"typescript","fileName":null}',
    '',
    '{"id":7,"prompt":"two pods processing the same queue occasionally send the same email twice","context":null}',
  ].join('\n');

  it('--json reads the editor task shape and prints one decision per task, id given or the 1-based line number', async () => {
    const { code, out, err } = await run(['--json'], input);
    assert.equal(code, 0);
    assert.equal(err, '');
    const rows = lines(out);
    assert.deepEqual(
      rows.map((r) => [r.id, r.route]),
      [
        ['a', 'cloud'],
        [2, 'local'],
        [7, 'cloud'],
      ],
    );
    for (const r of rows) {
      assert.deepEqual(Object.keys(r), ['id', 'route', 'score', 'band', 'threshold', 'summary', 'reasons']);
      assert.ok(typeof r.score === 'number' && r.score >= 0 && r.score <= 1);
      assert.ok(Array.isArray(r.reasons) && r.reasons.length > 0);
    }
    assert.match(String(rows[0]!.summary), /^Go, .*locks, threads or channels.* → Claude$/);
    assert.match(String(rows[1]!.summary), /a mechanical edit/);
  });

  it('reports a malformed line in place and exits 2 after routing the rest', async () => {
    const { code, out, err } = await run(['--json'], '{"prompt":"fix the typo"}\nnot json\n{"id":"z","prompt":5}\n{"prompt":"our websocket server stops accepting connections after a few days"}\n');
    assert.equal(code, 2);
    const rows = lines(out);
    assert.equal(rows.length, 4);
    assert.equal(rows[0]!.route, 'local');
    assert.deepEqual(rows[1], { id: 2, error: 'not valid JSON' });
    assert.equal(rows[2]!.id, 'z');
    assert.match(String(rows[2]!.error), /^prompt: /);
    assert.equal(rows[3]!.route, 'cloud');
    assert.equal(err, '2 malformed lines on stdin\n');
  });

  it('--mode forces the route and says so', async () => {
    const { out } = await run(['--json', '--mode', 'local'], input.split('\n')[0]!);
    const [row] = lines(out);
    assert.equal(row!.route, 'local');
    assert.equal((row!.reasons as string[])[0], 'mode: Local (forced)');
  });

  it('applies the workspace routing settings from .vscode/settings.json, and a flag wins over them', async () => {
    const settings = JSON.stringify({ 'llmgenie.router.overrides': { Explain: 'local' }, 'llmgenie.router.cloudThreshold': 0.99 });
    const files = { '/ws/.vscode/settings.json': `// team settings\n${settings}` };
    const rows = lines((await run(['--json'], input, files)).out);
    assert.equal(rows[0]!.route, 'local');
    assert.match(String((rows[0]!.reasons as string[])[0]), /override: explain/);
    assert.equal(rows[2]!.threshold, 0.99);
    assert.equal(lines((await run(['--json', '--threshold', '0.01'], input, files)).out)[2]!.threshold, 0.01);
    assert.equal(lines((await run(['--json', '--mode', 'cloud'], input, files)).out)[1]!.route, 'cloud');
    const bad = await run(['--json'], input, { '/ws/.vscode/settings.json': '{"llmgenie.router.mode": "fast"}' });
    assert.equal(bad.code, 0);
    assert.match(bad.err, /^llmgenie\.router\.mode: .*using "auto"\n$/);
  });

  it('without --json prints a readable table', async () => {
    const { code, out } = await run([], input);
    assert.equal(code, 0);
    const [header, ...rows] = out.trimEnd().split('\n');
    assert.match(header!, /^id\s+route\s+score\s+why$/);
    assert.equal(rows.length, 3);
    assert.match(rows[0]!, /^a\s+cloud\s+\d\.\d\d\s+Go, .*→ Claude; /);
    assert.match(rows[1]!, /^2\s+local\s+\d\.\d\d\s+.*a mechanical edit/);
  });

  it('empty input routes nothing and exits 0', async () => {
    assert.deepEqual(await run(['--json'], ''), { code: 0, out: '', err: '' });
  });

  it('a bad flag prints one line and the usage once', async () => {
    let err = '';
    const io: CliIO = { cwd: '/', env: {}, out: () => undefined, err: (t) => (err += t), readStdin: async () => '' };
    assert.equal(await runCli(['route', '--bogus'], io, commands), 2);
    assert.match(err, /^llmgenie route: Unknown option '--bogus'.*\nUsage: llmgenie route \[--json\]/);
    assert.equal(err.match(/llmgenie route \[--json\]/g)?.length, 1, err);
  });

  it('bad flags are usage errors', async () => {
    await assert.rejects(run(['--mode', 'fast'], ''), UsageError);
    await assert.rejects(run(['--threshold', '2'], ''), UsageError);
    await assert.rejects(run(['--bogus'], ''), UsageError);
    await assert.rejects(run(['extra'], ''), UsageError);
  });
});
