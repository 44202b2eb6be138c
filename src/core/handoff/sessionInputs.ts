import { posix } from 'node:path';
import type { FileSystem } from '../platform/fileSystem';
import { readDecisions } from '../sessions/decisionLog';
import { readAllSessions } from '../sessions/read';
import type { DraftDecision } from './draft';
import { normalizeListedPath } from './items';

export interface SessionInputOptions {
  /** Absolute, '/'-separated workspace root. */
  readonly root: string;
  /** Sessions written at or after this time are "the current work". */
  readonly since: Date;
  /** Sessions folder and decision log, as the `llmgenie.sessions.directory` / `llmgenie.decisionLog.path` settings say. */
  readonly sessionsDir?: string;
  readonly decisionLog?: string;
  readonly maxFiles?: number;
  readonly maxDecisions?: number;
}

export interface SessionInputs {
  /** Workspace-relative files that task events touched and that still exist, most recent first. */
  readonly files: readonly string[];
  /** Decisions recorded in those sessions or dated in the decision log since `since`, oldest first. */
  readonly decisions: readonly DraftDecision[];
  /** Sessions read. */
  readonly sessions: number;
}

function toRelative(root: string, file: string): string | undefined {
  const p = normalizeListedPath(file);
  if (!p) return undefined;
  if (p.startsWith('/') || /^[A-Za-z]:\//.test(p)) {
    const rel = posix.relative(root, posix.normalize(p));
    return rel && !rel.startsWith('..') && !posix.isAbsolute(rel) ? rel : undefined;
  }
  const n = posix.normalize(p);
  return n === '..' || n.startsWith('../') ? undefined : n;
}

/** Event times are ISO; the decision log writes `2025-03-10 12:00 UTC` or a bare day. */
function timeOf(text: string): number {
  const t = Date.parse(text.replace(/^(\d{4}-\d\d-\d\d) (\d\d:\d\d)(?::\d\d)? ?UTC$/, '$1T$2Z'));
  return Number.isNaN(t) ? Date.parse(text.slice(0, 10)) || 0 : t;
}

/**
 * What the session log says this work touched: files of task events and decisions. Reads only sessions written
 * since `since`; a missing or damaged log yields nothing rather than failing, since the draft stands without it.
 */
export async function collectSessionInputs(fs: FileSystem, opts: SessionInputOptions): Promise<SessionInputs> {
  const root = opts.root.replace(/\/+$/, '');
  const maxFiles = opts.maxFiles ?? 100;
  const maxDecisions = opts.maxDecisions ?? 20;
  const sessions = await readAllSessions(fs, root, opts.sessionsDir, opts.since).catch(() => []);

  const files: string[] = [];
  const seenFiles = new Set<string>();
  const decisions: Array<DraftDecision & { time: number }> = [];
  const seenDecisions = new Set<string>();
  const addDecision = (d: DraftDecision, time: number): void => {
    const key = d.title.trim().toLowerCase();
    if (!key || seenDecisions.has(key)) return;
    seenDecisions.add(key);
    decisions.push({ ...d, time });
  };

  const sinceIso = opts.since.toISOString();
  // Newest session first, newest event first: the latest work leads the file list.
  for (const s of sessions) {
    for (const e of [...s.events].reverse()) {
      if (e.generic || e.time < sinceIso) continue;
      if (e.type === 'task') {
        for (const f of e.payload.files ?? []) {
          const rel = toRelative(root, f);
          if (rel && !seenFiles.has(rel)) {
            seenFiles.add(rel);
            files.push(rel);
          }
        }
      } else if (e.type === 'decision') {
        addDecision({ title: e.payload.title, decision: e.payload.decision, ...(e.payload.file ? { file: e.payload.file } : {}) }, timeOf(e.time));
      }
    }
  }

  const sinceDay = sinceIso.slice(0, 10);
  const logged = await readDecisions(fs, { root, ...(opts.decisionLog ? { path: opts.decisionLog } : {}) }).catch(() => []);
  for (const d of logged) {
    // Undated entries cannot be placed in time; leaving them out keeps old decisions out of a new handoff.
    if (!d.date || d.date.slice(0, 10) < sinceDay) continue;
    addDecision({ title: d.title, decision: d.decision }, timeOf(d.date));
  }

  const existing: string[] = [];
  for (const f of files) {
    if (existing.length >= maxFiles) break;
    if ((await fs.stat(`${root}/${f}`))?.kind === 'file') existing.push(f);
  }
  return {
    files: existing,
    decisions: decisions
      .sort((a, b) => a.time - b.time)
      .slice(-maxDecisions)
      .map(({ time: _time, ...d }) => d),
    sessions: sessions.length,
  };
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** Today's work first; after a weekend or a holiday, the last days or weeks that touched files. */
export const DEFAULT_LOOKBACK_DAYS: readonly number[] = [1, 7, 30];

/**
 * The most recent work the session log knows of: the first look-back window (from `now`) whose sessions touched
 * files. Each window reads only sessions written within it, so a long history is not parsed for a fresh one.
 */
export async function collectRecentSessionInputs(
  fs: FileSystem,
  opts: Omit<SessionInputOptions, 'since'> & { readonly now: Date; readonly lookbackDays?: readonly number[] },
): Promise<SessionInputs & { readonly since: Date }> {
  const days = opts.lookbackDays?.length ? opts.lookbackDays : DEFAULT_LOOKBACK_DAYS;
  let last: (SessionInputs & { since: Date }) | undefined;
  for (const d of days) {
    const since = new Date(opts.now.getTime() - d * DAY_MS);
    last = { ...(await collectSessionInputs(fs, { ...opts, since })), since };
    if (last.files.length) return last;
  }
  return last!;
}
