import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { parseCliArgs } from '../../src/cli/args';
import { UsageError, type CliCommand, type CliIO } from '../../src/cli/command';
import { onStdoutError, runCli } from '../../src/cli/main';

function fakeIO(): CliIO & { out: (t: string) => void; text: { out: string; err: string } } {
  const text = { out: '', err: '' };
  return { cwd: '/', env: {}, out: (t) => void (text.out += t), err: (t) => void (text.err += t), readStdin: async () => '', text };
}

/** A command that echoes what its parser saw, the way real commands parse (parseCliArgs). */
const echo: CliCommand = {
  words: ['echo'],
  summary: 'Echo',
  usage: 'llmgenie echo [--title T] [--json] WORDS...',
  async run(args, io) {
    const { values, positionals } = parseCliArgs(args, { title: { type: 'string' }, json: { type: 'boolean' } });
    io.out(JSON.stringify({ values, positionals }));
    return 0;
  },
};
const bad: CliCommand = {
  words: ['bad'],
  summary: 'Bad',
  usage: 'llmgenie bad PATH',
  async run() {
    throw new UsageError('expected one PATH');
  },
};

describe('runCli', () => {
  const isHelp = (io: ReturnType<typeof fakeIO>) => io.text.out === 'Echo\n\nUsage: llmgenie echo [--title T] [--json] WORDS...\n';

  it('shows a command\'s help for --help or -h anywhere it is a flag', async () => {
    for (const argv of [['echo', '--help'], ['echo', '-h'], ['echo', 'a', '--help'], ['echo', '--json', '-h'], ['echo', '--title', 'x', '--help']]) {
      const io = fakeIO();
      assert.equal(await runCli(argv, io, [echo]), 0, argv.join(' '));
      assert.ok(isHelp(io), `${argv.join(' ')} → ${io.text.out}`);
    }
  });

  it('passes -h/--help through when it is a positional or an option value', async () => {
    const cases: [string[], unknown][] = [
      [['echo', 'what', 'does', '--', '-h', 'do'], { values: {}, positionals: ['what', 'does', '-h', 'do'] }],
      [['echo', '--title=-h'], { values: { title: '-h' }, positionals: [] }],
      [['echo', '--title=--help', 'x'], { values: { title: '--help' }, positionals: ['x'] }],
    ];
    for (const [argv, seen] of cases) {
      const io = fakeIO();
      assert.equal(await runCli(argv, io, [echo]), 0, argv.join(' '));
      assert.deepEqual(JSON.parse(io.text.out), seen);
    }
  });

  it('an ambiguous "--title -h" is a usage error, not help', async () => {
    const io = fakeIO();
    assert.equal(await runCli(['echo', '--title', '-h'], io, [echo]), 2);
    assert.equal(io.text.out, '');
    assert.match(io.text.err, /^llmgenie echo: Option '--title' argument is ambiguous\. Did you forget [^\n]*'--title=-XYZ'\.\nUsage: /);
  });

  it('prints the usage once after a usage error', async () => {
    const io = fakeIO();
    assert.equal(await runCli(['bad'], io, [bad]), 2);
    assert.equal(io.text.err, 'llmgenie bad: expected one PATH\nUsage: llmgenie bad PATH\n');
  });
});

describe('onStdoutError', () => {
  it('exits quietly on EPIPE and reports other errors on one line', () => {
    const exits: number[] = [];
    let err = '';
    onStdoutError(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }), (c) => exits.push(c), (t) => (err += t));
    assert.equal(err, '');
    onStdoutError(Object.assign(new Error('write EIO\nmore'), { code: 'EIO' }), (c) => exits.push(c), (t) => (err += t));
    assert.equal(err, 'llmgenie: cannot write to stdout: write EIO\n');
    assert.equal(exits.length, 2);
  });
});

describe('llmgenie process', () => {
  it('exits quietly when the reader of stdout goes away early (… | head)', async function () {
    this.timeout(30_000);
    const main = resolve(__dirname, '../../src/cli/main.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', main, 'route', '--json'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    let first = '';
    child.stdout.once('data', (b: Buffer) => {
      first = b.toString('utf8');
      child.stdout.destroy();
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(`${'{"prompt":"rename usrCnt to amount in this function please"}\n'.repeat(20_000)}`);
    const code = await new Promise<number | null>((done) => child.on('close', (c) => done(c)));
    assert.match(first, /^\{"id":1,"route":/);
    assert.equal(stderr, '', 'no stack trace on stderr');
    assert.equal(code, 0);
  });
});
