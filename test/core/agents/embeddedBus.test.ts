import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, appendFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedBus } from '../../../src/core/agents/bus/embeddedBus';
import { nodeFileSystem } from '../../../src/core/platform/fileSystem';
import { runBusContract } from './busContract';

runBusContract('embedded (JSONL journal)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'llmgenie-bus-'));
  return {
    open: async (o) => new EmbeddedBus({ fs: nodeFileSystem, journalPath: (run) => `${dir}/${run}/journal.jsonl`, ...o }),
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

describe('EmbeddedBus journal', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'llmgenie-bus-'))));
  afterEach(() => rm(dir, { recursive: true, force: true }));
  const open = () => new EmbeddedBus({ fs: nodeFileSystem, journalPath: (run) => `${dir}/${run}.jsonl` });

  it('has the message line on disk before publish resolves, and the ack line before ack resolves', async () => {
    const bus = open();
    await bus.publish({ topic: 'step', key: { run: 'r1', step: 'clamp/coder/1', attempt: 1 }, payload: { branch: 'clamp', role: 'coder', round: 1 } });
    const lines = (await readFile(`${dir}/r1.jsonl`, 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(lines.length, 1);
    assert.equal(lines[0].t, 'msg');
    assert.equal(lines[0].m.key.step, 'clamp/coder/1');
    const [d] = await bus.consume({ topic: 'step', run: 'r1', consumer: 'w' });
    await bus.ack(d!);
    const after = (await readFile(`${dir}/r1.jsonl`, 'utf8')).trim().split('\n').map((l) => JSON.parse(l).t);
    assert.deepEqual(after, ['msg', 'lease', 'ack']);
    await bus.close();
  });

  it('skips a torn last line (a kill mid-write) and counts it, keeping every whole line', async () => {
    const bus = open();
    await bus.publish({ topic: 'run', key: { run: 'r2', step: 'start', attempt: 1 }, payload: { kind: 'started' } });
    await bus.close();
    await appendFile(`${dir}/r2.jsonl`, '{"v":1,"t":"msg","m":{"v":1,"id":"2"');
    const again = open();
    assert.equal((await again.history('r2')).length, 1);
    assert.equal(await again.unreadableLines('r2'), 1);
    await again.close();
  });
});
