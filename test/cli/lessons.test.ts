import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliError, type CliIO } from '../../src/cli/command';
import { lessonsCommands } from '../../src/cli/commands/lessons';
import { nodeFileSystem } from '../../src/core/platform/fileSystem';
import { fakeSecret, makeRng } from '../../bench/fixtures/policy/fakeSecrets';

const clock = { now: () => new Date('2024-06-01T12:00:00Z') };
const commands = lessonsCommands({ fs: nodeFileSystem, clock });

const made: string[] = [];
after(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A temp workspace; with `fixture`, a copy of the lessons fixture workspace. */
function workspace(fixture = false): string {
  const dir = mkdtempSync(join(tmpdir(), 'llmgenie-lessons-'));
  made.push(dir);
  if (fixture) cpSync(join(__dirname, '../fixtures/lessons/workspace'), dir, { recursive: true });
  return dir;
}

/** Runs `lessons <verb> ...` the way main.ts does: a CliError becomes its exit code and one stderr line. */
async function run(cwd: string, args: string[], opts: { stdin?: string; env?: Record<string, string> } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIO = {
    cwd,
    env: { LLMGENIE_SESSION_LOG: 'off', ...opts.env },
    out: (t) => out.push(t),
    err: (t) => err.push(t),
    readStdin: async () => opts.stdin ?? '',
  };
  const command = commands.find((c) => c.words[1] === args[0])!;
  let code: number;
  try {
    code = await command.run(args.slice(1), io);
  } catch (e) {
    if (!(e instanceof CliError)) throw e;
    err.push(`${e.message}\n`);
    code = e.exitCode;
  }
  return { code, out: out.join(''), err: err.join('') };
}

describe('llmgenie lessons', () => {
  it('add writes a lesson file and prints where', async () => {
    const ws = workspace();
    const r = await run(ws, ['add', '--title', 'Close servers in tests', '--body', 'Always close them.', '--tags', 'tests,node', '--kind', 'best-practice']);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, 'added 2024-06-01-close-servers-in-tests: docs/lessons/2024-06-01-close-servers-in-tests.md\n');
    const text = readFileSync(join(ws, 'docs/lessons/2024-06-01-close-servers-in-tests.md'), 'utf8');
    assert.match(text, /^---\nid: 2024-06-01-close-servers-in-tests\ntitle: Close servers in tests\nkind: best-practice\ntags: \[tests, node\]\n/);
    assert.match(text, /\n\nAlways close them\.\n$/);
  });

  it('add reads the body from stdin with --body -, honours --dir and prints JSON with --json', async () => {
    const ws = workspace();
    const r = await run(ws, ['add', '--title', 'From stdin', '--body', '-', '--dir', 'kb', '--json'], { stdin: 'piped body\n' });
    assert.equal(r.code, 0, r.err);
    const json = JSON.parse(r.out) as { id: string; path: string; body: string };
    assert.equal(json.path, 'kb/2024-06-01-from-stdin.md');
    assert.equal(json.body, 'piped body');
    assert.ok(existsSync(join(ws, 'kb/2024-06-01-from-stdin.md')));
  });

  it('add logs a lesson event into a cli session unless logging is off', async () => {
    const ws = workspace();
    const r = await run(ws, ['add', '--title', 'Logged'], { env: { LLMGENIE_SESSION_LOG: '' } });
    assert.equal(r.code, 0, r.err);
    const dir = join(ws, '.llmgenie/sessions');
    const logged = readdirSync(dir, { recursive: true }).map((f) => join(dir, String(f))).filter((f) => f.endsWith('.jsonl'));
    assert.ok(logged.some((f) => /"type":"lesson".*"action":"add"/.test(readFileSync(f, 'utf8'))), logged.join(', '));
  });

  it('add rejects bad input as usage errors (exit 2)', async () => {
    const ws = workspace();
    assert.equal((await run(ws, ['add', '--body', 'no title'])).code, 2);
    const bad = await run(ws, ['add', '--title', 'T', '--kind', 'folklore']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--kind must be one of lesson, best-practice, anti-pattern/);
    assert.equal((await run(ws, ['add', '--title', 'T', '--nope'])).code, 2);
    assert.equal(existsSync(join(ws, 'docs/lessons')), false);
  });

  it('search --json prints exactly id, title, tags, score, path, snippet, best first', async () => {
    const ws = workspace(true);
    const r = await run(ws, ['search', 'memory', 'leak', '--json', '--limit', '2']);
    assert.equal(r.code, 0, r.err);
    const rows = JSON.parse(r.out) as Record<string, unknown>[];
    assert.deepEqual(rows.map((x) => Object.keys(x)), [
      ['id', 'title', 'tags', 'score', 'path', 'snippet'],
      ['id', 'title', 'tags', 'score', 'path', 'snippet'],
    ]);
    assert.deepEqual(rows.map((x) => x.id), ['2024-03-02-memory-leak-from-event-listeners', '2024-02-11-take-heap-snapshots-before-guessing']);
    assert.equal(rows[0].path, 'docs/lessons/2024-03-02-memory-leak-from-event-listeners.md');
    assert.ok((rows[0].score as number) > (rows[1].score as number));
    assert.match(r.err, /2 lesson files have problems/);
  });

  it('search finds Russian lessons and prints readable text', async () => {
    const ws = workspace(true);
    const r = await run(ws, ['search', 'утечка памяти']);
    assert.equal(r.code, 0);
    assert.match(r.out, /Утечки памяти в обработчиках событий {2}\[память, утечки\]\n {9}docs\/lessons\/2024-04-05-utechki-pamyati-v-obrabotchikah\.md\n {9}Подписка/);
    const none = await run(ws, ['search', 'zzzzqqq']);
    assert.equal(none.code, 0);
    assert.equal(none.out, 'no lessons match "zzzzqqq"\n');
    assert.equal((await run(ws, ['search'])).code, 2);
    assert.equal((await run(ws, ['search', 'x', '--limit', '0'])).code, 2);
  });

  it('search --tag and --kind filter', async () => {
    const ws = workspace(true);
    const r = await run(ws, ['search', 'memory', '--tag', 'profiling', '--json']);
    assert.deepEqual((JSON.parse(r.out) as { id: string }[]).map((x) => x.id), ['2024-02-11-take-heap-snapshots-before-guessing']);
    const k = await run(ws, ['search', 'memory', '--kind', 'anti-pattern', '--json']);
    assert.deepEqual((JSON.parse(k.out) as { id: string }[]).map((x) => x.id), ['2024-03-02-memory-leak-from-event-listeners']);
    assert.equal((await run(ws, ['search', 'memory', '--kind', 'folklore'])).code, 2);
  });

  it('search --rerank uses Ollama embeddings when reachable and caches them in the workspace', async () => {
    const ws = workspace(true);
    let requests = 0;
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        requests++;
        const { input } = JSON.parse(body) as { input: string[] };
        // The query is "close" to the heap snapshot lesson only.
        const vec = (t: string) => (t === 'memory leak' || t.startsWith('Take heap') ? [0, 1] : [1, 0]);
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ embeddings: input.map(vec) }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
      const r = await run(ws, ['search', 'memory leak', '--rerank', '--json'], { env: { OLLAMA_HOST: host } });
      assert.equal(r.code, 0);
      assert.doesNotMatch(r.err, /not re-ranked/);
      assert.equal((JSON.parse(r.out) as { id: string }[])[0].id, '2024-02-11-take-heap-snapshots-before-guessing');
      assert.ok(existsSync(join(ws, '.llmgenie/cache/embeddings.json')));
      await run(ws, ['search', 'memory leak', '--rerank', '--json'], { env: { OLLAMA_HOST: host } });
      assert.equal(requests, 1, 'the second search is served from the cache');
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('search --rerank falls back to text ranking with one note when Ollama is down', async () => {
    const ws = workspace(true);
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    await new Promise((r) => server.close(r));
    const r = await run(ws, ['search', 'memory leak', '--rerank', '--ollama-host', `http://127.0.0.1:${port}`, '--json']);
    assert.equal(r.code, 0);
    assert.match(r.err, /not re-ranked: Ollama not running at http:\/\/127\.0\.0\.1:\d+/);
    assert.equal((JSON.parse(r.out) as { id: string }[])[0].id, '2024-03-02-memory-leak-from-event-listeners');
  });

  it('search and list never print a secret a lesson quotes, not even half of one', async () => {
    const key = fakeSecret('github-token', makeRng(11));
    const pieces = (text: string) => Array.from({ length: key.length - 7 }, (_, i) => key.slice(i, i + 8)).filter((p) => text.includes(p));
    const ws = workspace();
    const body = `${'lorem '.repeat(30)}token ${key} ${'word '.repeat(4)}rotation ${'ipsum '.repeat(40)}`;
    const added = await run(ws, ['add', '--title', 'Rotate the deploy key', '--body', body, '--source', `leaked ${key}`, '--json']);
    assert.equal(added.code, 0, added.err);
    assert.deepEqual(pieces(added.out), []);
    // A hand-written lesson may quote a key in its title (the file name is the author's choice).
    mkdirSync(join(ws, 'docs/lessons'), { recursive: true });
    writeFileSync(join(ws, 'docs/lessons/old.md'), `---\nid: old-key\ntitle: Old key ${key}\ncreated: 2020-01-01\n---\n\nRevoked.\n`);
    for (const args of [['search', 'rotation'], ['search', 'rotation', '--json'], ['list'], ['list', '--json']]) {
      const r = await run(ws, args);
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(pieces(r.out), [], args.join(' '));
      if (args[0] === 'list') assert.match(r.out, /gh[pousr]_…\[REDACTED:github-token\]/, args.join(' '));
      else assert.match(r.out, /rotation/);
    }
    const [row, old] = JSON.parse((await run(ws, ['list', '--json'])).out) as { title: string; body: string; source: string }[];
    assert.match(row.body, /token gh[pousr]_…\[REDACTED:github-token\] word/);
    assert.equal(row.source, `leaked ${key.slice(0, 4)}…[REDACTED:github-token]`);
    assert.equal(old.title, `Old key ${key.slice(0, 4)}…[REDACTED:github-token]`);
    assert.match((await run(ws, ['list'])).out, /Old key gh[pousr]_…\[REDACTED:github-token\]/);
    assert.match((await run(ws, ['search', 'revoked'])).out, /Old key gh[pousr]_…\[REDACTED:github-token\]/);
  });

  it('list prints lessons newest first and problems as file:line: message, exit 1', async () => {
    const ws = workspace(true);
    const r = await run(ws, ['list']);
    assert.equal(r.code, 1);
    assert.match(r.out.split('\n')[0], /^2024-05-01-any-silences-the-compiler\s+anti-pattern\s+Using any to silence the compiler {2}\[typescript\]$/);
    assert.equal(r.out.trim().split('\n').length, 12);
    assert.match(r.err, /^docs\/lessons\/bad-fields\.md:3: kind must be one of/m);
    assert.match(r.err, /^docs\/lessons\/broken-front-matter\.md:4: front matter: not valid YAML: a \[list\] or \{map\} is never closed/m);
  });

  it('list --json gives the full lesson records; an empty workspace explains how to start', async () => {
    const ws = workspace(true);
    const r = await run(ws, ['list', '--json', '--kind', 'anti-pattern']);
    const rows = JSON.parse(r.out) as { id: string; path: string; rule: string | null; readOnly: boolean }[];
    assert.deepEqual(rows.map((x) => x.id), ['2024-05-01-any-silences-the-compiler', '2024-03-02-memory-leak-from-event-listeners']);
    assert.equal(rows[0].rule, 'ts-no-explicit-any');
    assert.equal(rows[0].readOnly, false);

    const empty = await run(workspace(), ['list']);
    assert.equal(empty.code, 0);
    assert.match(empty.out, /^no lessons in docs\/lessons yet; add one with: llmgenie lessons add/);
    assert.match((await run(workspace(), ['search', 'x'])).out, /^no lessons in docs\/lessons yet/);
    assert.equal((await run(ws, ['list', '--tag', 'nothing-has-this'])).out, 'no lessons match the filter\n');
  });
});
