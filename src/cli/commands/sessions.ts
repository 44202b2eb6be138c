// `llmgenie sessions ...`, `llmgenie stats`, `llmgenie decision ...`, and the session sink other CLI commands log to.
import { resolve } from 'node:path';
import { computeStats } from '../../core/analytics/stats';
import type { Stats } from '../../core/analytics/stats';
import { statsToCsv } from '../../core/analytics/csv';
import { parseSince } from '../../core/analytics/since';
import { systemClock } from '../../core/platform/clock';
import type { Clock } from '../../core/platform/clock';
import { nodeFileSystem } from '../../core/platform/fileSystem';
import type { FileSystem } from '../../core/platform/fileSystem';
import { DecisionInputError, DecisionLogError, readDecisions, recordDecision } from '../../core/sessions/decisionLog';
import { describeEvent, usd } from '../../core/sessions/describe';
import { exportSessionMarkdown } from '../../core/sessions/markdown';
import { SessionNotFoundError, deleteSession, listSessions, readAllSessions, readSession } from '../../core/sessions/read';
import type { ReadWarning } from '../../core/sessions/read';
import { openLazySessionSink } from '../../core/sessions/lazySink';
import { readWorkspaceSessionSettings } from '../../core/sessions/settings';
import type { LocatingSessionEventSink } from '../../core/sessions/sink';
import { parseCliArgs } from '../args';
import { CliError, UsageError } from '../command';
import type { CliCommand, CliIO } from '../command';
import { count } from '../../core/text/plural';

export interface SessionsCliDeps {
  fs: FileSystem;
  clock: Clock;
}

const ROOT_FLAGS = `  --root DIR    workspace root (default: the current folder)
  --dir DIR     sessions folder, relative to the root (default: setting llmgenie.sessions.directory,
                $LLMGENIE_SESSIONS_DIR, or .llmgenie/sessions)`;

const USAGE = {
  list: `llmgenie sessions list [--json] [--root DIR] [--dir DIR]\n  Sessions of this workspace, newest first.\n${ROOT_FLAGS}`,
  show: `llmgenie sessions show <id> [--json] [--root DIR] [--dir DIR]\n  Every event of one session.\n${ROOT_FLAGS}`,
  export: `llmgenie sessions export <id> [--out FILE] [--root DIR] [--dir DIR]\n  A markdown report of one session (stdout, or FILE).\n${ROOT_FLAGS}`,
  delete: `llmgenie sessions delete <id> [--root DIR] [--dir DIR]\n  Removes a session's files.\n${ROOT_FLAGS}`,
  stats: `llmgenie stats [--since 7d|24h|30m|2w|DATE] [--until DATE] [--json | --csv] [--utc] [--root DIR] [--dir DIR]
  Tasks by route, latency and time to first token per model, tokens, cost, savings vs all-Claude,
  escalations, policy findings: the figures of the analytics dashboard.
  --since/--until  period (default: all time); DATE is ISO, e.g. 2025-03-01
  --json           the full figures as one JSON object
  --csv            the daily series plus a total row
  --utc            day buckets in UTC instead of local time
${ROOT_FLAGS}`,
  record: `llmgenie decision record --title T --decision D [--context C] [--consequences X] [--log FILE] [--root DIR]
  Appends an entry to the decision log (default docs/decision-log.md or setting llmgenie.decisionLog.path)
  and a decision event to this run's session.`,
  decisions: `llmgenie decision list [--json] [--log FILE] [--root DIR]\n  The entries of the decision log.`,
};

const COMMON = { root: { type: 'string' }, dir: { type: 'string' } } as const;

/** Exactly `n` positionals (session ids), else a one-line UsageError; main.ts prints the usage after it. */
function expectArgs(p: string[], n: number): string[] {
  if (p.length < n) throw new UsageError('expected a session id (see "llmgenie sessions list")');
  if (p.length > n) throw new UsageError(`unexpected argument "${p[n]}"`);
  return p;
}

function rootOf(io: CliIO, root: string | undefined): string {
  return resolve(io.cwd, root ?? '.').replace(/\\/g, '/');
}

async function where(deps: SessionsCliDeps, io: CliIO, values: { root?: string; dir?: string }) {
  const root = rootOf(io, values.root);
  const settings = await readWorkspaceSessionSettings(deps.fs, root, io.env);
  return { root, dir: values.dir ?? settings.dir, settings };
}

function utcMinute(iso: string): string {
  return iso ? `${iso.slice(0, 16).replace('T', ' ')}` : '';
}

function table(rows: string[][], rightAligned: ReadonlySet<number> = new Set()): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows
    .map((r) => r.map((cell, c) => (rightAligned.has(c) ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd())
    .join('\n');
}

function reportWarnings(io: CliIO, warnings: ReadWarning[]): void {
  if (!warnings.length) return;
  const files = new Set(warnings.map((w) => w.file)).size;
  io.err(`llmgenie: ${warnings.length} unreadable or unknown line${warnings.length === 1 ? '' : 's'} in ${files} session file${files === 1 ? '' : 's'} (see 'llmgenie sessions show <id>')\n`);
}

function sessionError(e: unknown): never {
  if (e instanceof SessionNotFoundError) throw new CliError(e.message, 2);
  throw e;
}

export function sessionCommands(deps: SessionsCliDeps = { fs: nodeFileSystem, clock: systemClock }): CliCommand[] {
  const list: CliCommand = {
    words: ['sessions', 'list'],
    summary: 'List the session logs of this workspace, newest first',
    usage: USAGE.list,
    async run(args, io) {
      const { values, positionals: given } = parseCliArgs(args, { ...COMMON, json: { type: 'boolean' } });
      expectArgs(given, 0);
      const { root, dir } = await where(deps, io, values);
      const sessions = await listSessions(deps.fs, root, dir);
      if (values.json) {
        io.out(`${JSON.stringify(sessions.map((s) => ({ ...s, files: s.files.map((f) => f.replace(`${root}/`, '')) })), null, 2)}\n`);
        return 0;
      }
      if (!sessions.length) {
        io.out(`no sessions in ${dir}\n`);
        return 0;
      }
      const rows = [['id', 'started (UTC)', 'last (UTC)', 'host', 'events', 'tasks', 'cost']];
      for (const s of sessions) {
        rows.push([s.id, utcMinute(s.start), utcMinute(s.end), s.host ?? '?', String(s.eventCount), String(s.taskCount), usd(s.costUsd)]);
      }
      io.out(`${table(rows, new Set([4, 5, 6]))}\n`);
      const bad = sessions.reduce((n, s) => n + s.warnings, 0);
      if (bad) io.err(`llmgenie: ${bad} unreadable or unknown lines skipped (see 'llmgenie sessions show <id>')\n`);
      return 0;
    },
  };

  const show: CliCommand = {
    words: ['sessions', 'show'],
    summary: 'Print every event of one session',
    usage: USAGE.show,
    async run(args, io) {
      const { values, positionals: given } = parseCliArgs(args, { ...COMMON, json: { type: 'boolean' } });
      const [id] = expectArgs(given, 1);
      const { root, dir } = await where(deps, io, values);
      const s = await readSession(deps.fs, root, id, dir).catch(sessionError);
      if (values.json) {
        io.out(`${JSON.stringify({ summary: { ...s.summary, files: s.summary.files.map((f) => f.replace(`${root}/`, '')) }, events: s.events, warnings: s.warnings }, null, 2)}\n`);
        return 0;
      }
      const head = [s.summary.host, s.summary.workspace, s.summary.version && `v${s.summary.version}`].filter(Boolean).join(' · ');
      io.out(`session ${s.summary.id}${head ? ` · ${head}` : ''} · ${utcMinute(s.summary.start)} → ${utcMinute(s.summary.end)} UTC\n`);
      const rows = s.events.map((e) => {
        const d = describeEvent(e);
        return [e.id, e.time.slice(11, 19), d.label, d.description];
      });
      if (rows.length) io.out(`${table(rows)}\n`);
      for (const w of s.warnings) io.err(`${w.file}:${w.line}: ${w.message}\n`);
      return 0;
    },
  };

  const exportCmd: CliCommand = {
    words: ['sessions', 'export'],
    summary: 'Write a markdown report of one session',
    usage: USAGE.export,
    async run(args, io) {
      const { values, positionals: given } = parseCliArgs(args, { ...COMMON, out: { type: 'string' } });
      const [id] = expectArgs(given, 1);
      const { root, dir } = await where(deps, io, values);
      const s = await readSession(deps.fs, root, id, dir).catch(sessionError);
      const md = exportSessionMarkdown(s);
      if (values.out) {
        const out = resolve(io.cwd, values.out).replace(/\\/g, '/');
        await deps.fs.writeText(out, md);
        io.out(`wrote ${out}\n`);
      } else io.out(md);
      return 0;
    },
  };

  const del: CliCommand = {
    words: ['sessions', 'delete'],
    summary: 'Delete one session log',
    usage: USAGE.delete,
    async run(args, io) {
      const { values, positionals: given } = parseCliArgs(args, COMMON);
      const [id] = expectArgs(given, 1);
      const { root, dir } = await where(deps, io, values);
      const files = await deleteSession(deps.fs, root, id, dir).catch(sessionError);
      io.out(`deleted session ${id} (${files.length} file${files.length === 1 ? '' : 's'})\n`);
      return 0;
    },
  };

  const stats: CliCommand = {
    words: ['stats'],
    summary: 'Task, latency, cost, savings and policy figures from the session logs',
    usage: USAGE.stats,
    async run(args, io) {
      const { values, positionals: given } = parseCliArgs(args, { ...COMMON, since: { type: 'string' }, until: { type: 'string' }, json: { type: 'boolean' }, csv: { type: 'boolean' }, utc: { type: 'boolean' } });
      expectArgs(given, 0);
      if (values.json && values.csv) throw new UsageError('--json and --csv are exclusive');
      const now = deps.clock.now();
      const period = (flag: string, text: string | undefined) => {
        if (text === undefined) return undefined;
        const r = parseSince(text, now);
        if (!r.ok) throw new UsageError(`--${flag}: ${r.error}`);
        return r.date;
      };
      const since = period('since', values.since);
      const until = period('until', values.until);
      const { root, dir } = await where(deps, io, values);
      const sessions = await readAllSessions(deps.fs, root, dir, since);
      const result = computeStats(
        (function* () {
          for (const s of sessions) yield* s.events;
        })(),
        { since, until, now, utcOffsetMinutes: values.utc ? 0 : -now.getTimezoneOffset() },
      );
      reportWarnings(io, sessions.flatMap((s) => s.warnings));
      const inPeriod = (iso: string) => {
        const t = Date.parse(iso);
        return (!since || t >= since.getTime()) && (!until || t < until.getTime());
      };
      const active = sessions.filter((s) => s.events.some((e) => e.type !== 'session-start' && inPeriod(e.time))).length;
      if (values.json) io.out(`${JSON.stringify({ sessions: active, ...result }, null, 2)}\n`);
      else if (values.csv) io.out(statsToCsv(result));
      else io.out(statsText(result, active, values.since));
      return 0;
    },
  };

  const record: CliCommand = {
    words: ['decision', 'record'],
    summary: 'Append an entry to the decision log',
    usage: USAGE.record,
    async run(args, io) {
      const { values, positionals: given } = parseCliArgs(args, { root: { type: 'string' }, log: { type: 'string' }, title: { type: 'string' }, decision: { type: 'string' }, context: { type: 'string' }, consequences: { type: 'string' } });
      expectArgs(given, 0);
      if (!values.title || !values.decision) throw new UsageError('--title and --decision are required');
      const root = rootOf(io, values.root);
      const settings = await readWorkspaceSessionSettings(deps.fs, root, io.env);
      const sink = openCliSessionSink(io, { root, ...deps });
      try {
        const r = await recordDecision(
          deps.fs,
          deps.clock,
          { root, path: values.log ?? settings.decisionLog, sink },
          { title: values.title, decision: values.decision, context: values.context ?? '', consequences: values.consequences },
        );
        io.out(`recorded "${r.entry.title}" in ${r.path.replace(`${root}/`, '')}\n`);
        return 0;
      } catch (e) {
        if (e instanceof DecisionInputError) throw new UsageError(e.message);
        if (e instanceof DecisionLogError) throw new CliError(e.message);
        throw e;
      }
    },
  };

  const decisions: CliCommand = {
    words: ['decision', 'list'],
    summary: 'List the entries of the decision log',
    usage: USAGE.decisions,
    async run(args, io) {
      const { values, positionals: given } = parseCliArgs(args, { root: { type: 'string' }, log: { type: 'string' }, json: { type: 'boolean' } });
      expectArgs(given, 0);
      const root = rootOf(io, values.root);
      const settings = await readWorkspaceSessionSettings(deps.fs, root, io.env);
      const entries = await readDecisions(deps.fs, { root, path: values.log ?? settings.decisionLog });
      if (values.json) io.out(`${JSON.stringify(entries, null, 2)}\n`);
      else if (!entries.length) io.out('no decisions recorded\n');
      else io.out(`${table([['date', 'title'], ...entries.map((d) => [d.date ?? '', d.title])])}\n`);
      return 0;
    },
  };

  return [list, show, exportCmd, del, stats, record, decisions];
}

export const commands: CliCommand[] = sessionCommands();

function ms(n: number | undefined): string {
  if (n === undefined) return '–';
  return n >= 10_000 ? `${(n / 1000).toFixed(1)} s` : `${Math.round(n)} ms`;
}

function pct(r: number | undefined): string {
  return r === undefined ? '–' : `${(r * 100).toFixed(1)}%`;
}

const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US');

/** The compact text summary of `llmgenie stats`. */
export function statsText(s: Stats, sessions: number, sinceText?: string): string {
  const t = s.tasks;
  const period = s.period.since ? `since ${sinceText ?? s.period.since} (${utcMinute(s.period.since)} UTC)` : 'all time';
  const lines: [string, string][] = [
    ['period', `${period}${s.period.until ? ` until ${utcMinute(s.period.until)} UTC` : ''} · ${sessions} session${sessions === 1 ? '' : 's'}`],
    ['tasks', `${t.total} (local ${t.byRoute.local} · cloud ${t.byRoute.cloud} · escalated ${t.byRoute.escalated})${t.failed ? ` · ${t.failed} failed` : ''}`],
    ['tokens', `${fmtInt(s.tokens.in)} in · ${fmtInt(s.tokens.out)} out`],
    ['cost', `${usd(s.cost.usd)} · all on Claude ${usd(s.cost.cloudUsd)} · saved ${usd(s.cost.savingsUsd)}${s.cost.savingsRatio !== undefined ? ` (${pct(s.cost.savingsRatio)})` : ''}`],
  ];
  if (s.escalation.localAttempts) {
    const reasons = s.escalation.reasons.map((r) => `${r.reason} ${r.count}`).join(', ');
    const extra = s.escalation.extraCostUsd > 0 ? ` · cost ${usd(s.escalation.extraCostUsd)} more than Claude directly (counted in "saved")` : '';
    lines.push(['escalation', `${pct(s.escalation.rate)} of ${s.escalation.localAttempts} local attempts${reasons ? ` (${reasons})` : ''}${extra}`]);
  }
  if (s.policy.runs) {
    const sev = Object.entries(s.policy.bySeverity).map(([k, n]) => `${k} ${n}`).join(', ');
    lines.push(['policy', `${count(s.policy.findings, 'finding')} in ${count(s.policy.runs, 'run')}${sev ? ` (${sev})` : ''}`]);
  }
  if (s.handoffs.validations) {
    lines.push(['handoffs', `${s.handoffs.validations} validated · ${s.handoffs.passed} passed · avg score ${Math.round(s.handoffs.averageScore ?? 0)}`]);
  }
  if (s.decisions) lines.push(['decisions', String(s.decisions)]);
  let out = `${lines.map(([k, v]) => `${k.padEnd(11)}${v}`).join('\n')}\n`;
  if (s.models.length) {
    const rows = [['provider', 'model', 'tasks', 'failed', 'p50', 'p95', 'ttft p50', 'ttft p95', 'cost']];
    for (const m of s.models) {
      rows.push([m.provider, m.model, String(m.tasks), String(m.failed), ms(m.latencyP50Ms), ms(m.latencyP95Ms), ms(m.ttftP50Ms), ms(m.ttftP95Ms), usd(m.costUsd)]);
    }
    out += `\n${table(rows, new Set([2, 3, 4, 5, 6, 7, 8]))}\n`;
  }
  return out;
}

export interface CliSinkOptions {
  root?: string;
  fs?: FileSystem;
  clock?: Clock;
}

/**
 * The session sink for headless commands (`ask`, `check`, `handoff validate`, `lessons add`): events land in the
 * workspace's session store with host 'cli'. See openLazySessionSink.
 */
export function openCliSessionSink(io: CliIO, opts: CliSinkOptions = {}): LocatingSessionEventSink {
  return openLazySessionSink({
    root: rootOf(io, opts.root),
    fs: opts.fs ?? nodeFileSystem,
    clock: opts.clock ?? systemClock,
    env: io.env,
    host: 'cli',
    version: process.env.LLMGENIE_VERSION ?? 'dev',
    err: io.err,
    label: 'llmgenie',
  });
}
