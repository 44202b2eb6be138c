// `llmgenie agents worker --bus redis://…`: serve agent steps of any run on a team bus, in this clone; and
// `llmgenie agents team --bus redis://…`: the bus's workers, leases, pending and dead-lettered steps.
import { hostname } from 'node:os';
import { nodeGitRunner, type GitRunner } from '../../core/platform/git';
import { BusError } from '../../core/agents/bus/bus';
import { BusConfigError, maskSecretsInText, resolveBusChoice, workspaceBusId } from '../../core/agents/bus/redisConfig';
import { openRedisBus, type RedisBus } from '../../core/agents/bus/redisBus';
import { openRedisConnection } from '../../core/agents/bus/redisConnection';
import { formatTeamStatus, teamStatus } from '../../core/agents/bus/redisTeamStatus';
import { runTeamWorker, type StepExecutor } from '../../core/agents/bus/redisWorker';
import { createWorkerGit } from '../../core/agents/bus/redisWorkerGit';
import { nodeFileSystem } from '../../core/platform/fileSystem';
import { parseCliArgs } from '../args';
import { CliError, UsageError, type CliCommand, type CliIO } from '../command';
import { untilSignal } from '../untilSignal';

const BUS_HELP = `  --bus URL          redis://[user@]host[:port][/db] (or LLMGENIE_REDIS_URL); the password comes from
                     LLMGENIE_REDIS_PASSWORD (a password inside the URL works too, and is never printed)
  --remote NAME      the team's git remote in this clone (default origin); its URL names the bus workspace
  --workspace NAME   the bus workspace instead (every clone of one repository must use the same)`;

const WORKER_USAGE = `llmgenie agents worker --bus URL [--roles coder,librarian,reviewer] [--concurrency N] [--id NAME] [--lease-ms N]
  Runs agent steps of any run on the team bus, in worktrees of this clone: fetches each step's base commit from
  the team remote, runs the step, pushes its branch, records the result, then acknowledges the step. A step whose
  worker dies is claimed by another once its lease runs out. Stops on SIGINT/SIGTERM, handing running steps back.
${BUS_HELP}
  --roles LIST       roles this worker serves (default: every role)
  --concurrency N    steps at the same time (default 1)
  --id NAME          worker name in status (default host-pid)
  --lease-ms N       step lease; heartbeats renew it every third of it (default 30000)
  --yes              accept this clone's check command (llmgenie.agents.checkCommand) without asking`;

const TEAM_USAGE = `llmgenie agents team --bus URL [--run ID] [--json]
  The team bus: workers (alive or gone, what each runs), and per run pending steps, leases and dead letters.
${BUS_HELP}`;

export const DEFAULT_WORKER_ROLES = ['coder', 'policy', 'librarian', 'reviewer'];

export interface AgentsWorkerDeps {
  /** Runs one step in its checkout. The agents' role steps are wired in by the agents command. */
  /** `accept`: the worker was started with --yes, so it accepts this clone's check command without asking. */
  executor: (io: CliIO, o: { accept: boolean }) => StepExecutor | Promise<StepExecutor>;
  git?: GitRunner;
  /** Resolves when the worker should stop; default SIGINT or SIGTERM. */
  untilStopped?: () => Promise<void>;
}

const BUS_OPTIONS = { bus: { type: 'string' }, remote: { type: 'string' }, workspace: { type: 'string' } } as const;

/** Opens the team bus a command asked for, or explains in one line why it cannot. */
export async function openTeamBus(
  io: CliIO,
  values: { bus?: string; remote?: string; workspace?: string },
  git: GitRunner,
  extra: { leaseMs?: number; onConnectionChange?: (state: 'lost' | 'back', detail: string) => void } = {},
): Promise<{ bus: RedisBus; url: string; password?: string; workspace: string }> {
  let resolved;
  try {
    resolved = resolveBusChoice({ cli: values.bus, env: io.env });
  } catch (e) {
    if (e instanceof BusConfigError) throw new UsageError(e.message);
    throw e;
  }
  if (resolved.choice.kind !== 'redis') throw new UsageError('a team bus is needed: --bus redis://host:6379 (or LLMGENIE_REDIS_URL)');
  const workspace = values.workspace ?? workspaceBusId(await remoteUrl(git, io.cwd, values.remote ?? 'origin'));
  const url = resolved.choice.url;
  try {
    const bus = await openRedisBus({ url, workspace, ...(resolved.password ? { password: resolved.password } : {}), ...extra });
    return { bus, url, workspace, ...(resolved.password ? { password: resolved.password } : {}) };
  } catch (e) {
    if (e instanceof BusError) throw new CliError(maskSecretsInText(e.message));
    throw e;
  }
}

async function remoteUrl(git: GitRunner, cwd: string, remote: string): Promise<string> {
  try {
    return (await git(['remote', 'get-url', remote], cwd)).trim();
  } catch {
    throw new UsageError(`this folder is not a clone with a git remote "${remote}" (the team remote names the bus workspace); use --remote or --workspace`);
  }
}

function positiveInt(raw: string | undefined, name: string, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > max) throw new UsageError(`${name} takes a whole number 1-${max}, got "${raw}"`);
  return Number(raw);
}


export function createAgentsWorkerCommands(deps: AgentsWorkerDeps): CliCommand[] {
  const git = deps.git ?? nodeGitRunner;
  const worker: CliCommand = {
    words: ['agents', 'worker'],
    summary: 'Run agent steps from a team bus (Redis) in this clone',
    usage: WORKER_USAGE,
    async run(args, io) {
      const { values, positionals } = parseCliArgs(args, { ...BUS_OPTIONS, roles: { type: 'string' }, concurrency: { type: 'string' }, id: { type: 'string' }, 'lease-ms': { type: 'string' }, yes: { type: 'boolean' } });
      if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
      const roles = values.roles ? values.roles.split(',').map((r) => r.trim()).filter(Boolean) : DEFAULT_WORKER_ROLES;
      const bad = roles.find((r) => !/^[a-z][a-z0-9_-]*$/.test(r));
      if (bad !== undefined || !roles.length) throw new UsageError(`--roles takes role names separated by commas, got "${values.roles}"`);
      const concurrency = positiveInt(values.concurrency, '--concurrency', 1, 64);
      const leaseMs = positiveInt(values['lease-ms'], '--lease-ms', 30_000, 3_600_000);
      const id = values.id ?? `${hostname()}-${process.pid}`;
      if (!/^[A-Za-z0-9._-]{1,100}$/.test(id)) throw new UsageError(`--id takes letters, digits, ".", "_" and "-", got "${id}"`);
      const say = (line: string) => io.out(`${new Date().toISOString().slice(11, 23)} ${line}\n`);
      const { bus, url, password } = await openTeamBus(io, values, git, { leaseMs, onConnectionChange: (_s, detail) => say(detail) });
      const doorbell = await openRedisConnection({ url, ...(password ? { password } : {}) }).catch(async (e) => {
        await bus.close();
        throw new CliError(maskSecretsInText((e as Error).message));
      });
      const ac = new AbortController();
      void (deps.untilStopped ?? untilSignal)().then(() => ac.abort());
      try {
        const clone = (await git(['rev-parse', '--show-toplevel'], io.cwd)).trim();
        const counts = await runTeamWorker({
          bus,
          doorbell,
          id,
          host: hostname(),
          pid: process.pid,
          roles,
          concurrency,
          clone,
          git: createWorkerGit(git, nodeFileSystem),
          execute: await deps.executor(io, { accept: values.yes === true }),
          log: say,
          signal: ac.signal,
        });
        say(`worker ${id} stopped: ${counts.done} steps done, ${counts.skipped} already done elsewhere, ${counts.requeued} handed back`);
        return 0;
      } finally {
        await doorbell.close();
        await bus.close();
      }
    },
  };
  const team: CliCommand = {
    words: ['agents', 'team'],
    summary: 'Show the team bus: workers, leases, pending and dead-lettered steps',
    usage: TEAM_USAGE,
    async run(args, io) {
      const { values, positionals } = parseCliArgs(args, { ...BUS_OPTIONS, run: { type: 'string' }, json: { type: 'boolean' } });
      if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
      const { bus } = await openTeamBus(io, values, git);
      try {
        const s = await teamStatus(bus, values.run ? { run: values.run } : {});
        io.out(values.json ? `${JSON.stringify(s, null, 2)}\n` : formatTeamStatus(s));
        return s.runs.some((r) => r.deadLettered.length) ? 1 : 0;
      } finally {
        await bus.close();
      }
    },
  };
  return [worker, team];
}
