// A team worker process for the multi-process tests: the real `llmgenie agents worker` command (runCli) in a
// clone, with the smallest real step: write the task into `<slug>.md` in the step's worktree, take `holdMs`
// (time for a test to kill it mid-step), and commit. Git, Redis and the worker are all real.
//   node --import tsx redisWorkerProcess.ts <clone> <holdMs> -- <agents worker args…>
import { writeFile } from 'node:fs/promises';
import { runCli } from '../../../src/cli/main';
import { createAgentsWorkerCommands } from '../../../src/cli/commands/agentsWorker';
import type { StepExecutor } from '../../../src/core/agents/bus/redisWorker';
import { nodeGitRunner } from '../../../src/core/platform/git';

const [clone, hold, sep, ...args] = process.argv.slice(2);
if (!clone || !hold || sep !== '--') throw new Error('usage: redisWorkerProcess.ts <clone> <holdMs> -- <args>');
const holdMs = Number(hold);

const writeTaskFile: StepExecutor = async ({ context, checkout, signal }) => {
  await writeFile(`${checkout.path}/${context.slug}.md`, `# ${context.task}\n\nwritten by ${process.env.WORKER_ID ?? process.pid}\n`);
  await new Promise<void>((resolve) => {
    const t = setTimeout(resolve, holdMs);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });
  if (signal.aborted) return { status: 'stopped', reason: 'cancelled' };
  await nodeGitRunner(['-c', 'user.name=test worker', '-c', 'user.email=worker@example.invalid', 'commit', '-q', '-am', context.task], checkout.path).catch(async () => {
    await nodeGitRunner(['add', '-A'], checkout.path);
    await nodeGitRunner(['-c', 'user.name=test worker', '-c', 'user.email=worker@example.invalid', 'commit', '-q', '-m', context.task], checkout.path);
  });
  return { status: 'done', output: { summary: `wrote ${context.slug}.md` } };
};

const io = {
  cwd: clone,
  env: process.env,
  out: (t: string) => process.stdout.write(t),
  err: (t: string) => process.stderr.write(t),
  readStdin: async () => '',
};
void runCli(['agents', 'worker', ...args], io, createAgentsWorkerCommands({ executor: () => writeTaskFile })).then((code) => process.exit(code));
