import type { FileSystem } from '../platform/fileSystem';
import { parseEventLine } from './events';
import type { SessionEvent, SessionHost } from './events';
import { isSessionId, listSessionFiles, relativeToRoot, sessionIdTime, resolveSessionsDir } from './layout';
import type { SessionFileGroup } from './layout';

export interface ReadWarning {
  /** Relative to the workspace root when inside it. */
  file: string;
  /** 1-based line number within that file. */
  line: number;
  message: string;
}

export interface SessionSummary {
  id: string;
  /** ISO time the session started (its `session-start` event, else the time encoded in the id). */
  start: string;
  /** ISO time of the last event. */
  end: string;
  host?: SessionHost;
  workspace?: string;
  version?: string;
  /** Absolute part files, oldest first. */
  files: string[];
  bytes: number;
  /** Events other than `session-start`. */
  eventCount: number;
  taskCount: number;
  costUsd: number;
  /** Event types present (other than `session-start`), sorted. */
  types: string[];
  warnings: number;
}

export interface SessionRead {
  summary: SessionSummary;
  events: SessionEvent[];
  warnings: ReadWarning[];
}

export class SessionNotFoundError extends Error {}

/** Parses JSONL text; torn or garbled lines become warnings, every valid line before and after is kept. */
export function parseSessionText(text: string, file: string): { events: SessionEvent[]; warnings: ReadWarning[] } {
  const events: SessionEvent[] = [];
  const warnings: ReadWarning[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].endsWith('\r') ? lines[i].slice(0, -1) : lines[i];
    if (!line.trim()) continue;
    const r = parseEventLine(line);
    if (!r.ok) {
      const torn = i === lines.length - 1 ? ' (unterminated last line, probably torn by a crash)' : '';
      warnings.push({ file, line: i + 1, message: `${r.error}${torn}; skipped` });
      continue;
    }
    if (r.note) warnings.push({ file, line: i + 1, message: r.note });
    events.push(r.event);
  }
  return { events, warnings };
}

async function readGroup(fs: FileSystem, root: string, g: SessionFileGroup): Promise<SessionRead> {
  const events: SessionEvent[] = [];
  const warnings: ReadWarning[] = [];
  let bytes = 0;
  for (const f of g.files) {
    const rel = relativeToRoot(root, f);
    let text: string;
    try {
      text = await fs.readText(f);
    } catch (e) {
      warnings.push({ file: rel, line: 0, message: `unreadable: ${(e as Error).message}` });
      continue;
    }
    bytes += Buffer.byteLength(text, 'utf8');
    const parsed = parseSessionText(text, rel);
    for (const ev of parsed.events) events.push(ev);
    for (const w of parsed.warnings) warnings.push(w);
  }
  return { summary: summarize(g, events, warnings.length, bytes), events, warnings };
}

/** Summary figures of one session's events; exported for callers that hold events already (live views). */
export function summarize(g: SessionFileGroup, events: SessionEvent[], warnings: number, bytes: number): SessionSummary {
  const types = new Set<string>();
  let start: string | undefined;
  let host: SessionHost | undefined;
  let workspace: string | undefined;
  let version: string | undefined;
  let eventCount = 0;
  let taskCount = 0;
  let costUsd = 0;
  let end = '';
  for (const e of events) {
    if (e.time > end) end = e.time;
    if (!e.generic && e.type === 'session-start') {
      if (!start) {
        start = e.time;
        ({ host, workspace, version } = e.payload);
      }
      continue;
    }
    eventCount++;
    types.add(e.type);
    if (!e.generic && e.type === 'task') {
      taskCount++;
      costUsd += e.payload.costUsd;
    }
  }
  const idTime = sessionIdTime(g.id);
  start ??= Number.isFinite(idTime) ? new Date(idTime).toISOString() : (events[0]?.time ?? '');
  return {
    id: g.id,
    start,
    end: end || start,
    ...(host ? { host } : {}),
    ...(workspace !== undefined ? { workspace } : {}),
    ...(version !== undefined ? { version } : {}),
    files: g.files,
    bytes,
    eventCount,
    taskCount,
    costUsd,
    types: [...types].sort(),
    warnings,
  };
}

/** Every session in the workspace's sessions folder, newest first. */
export async function listSessions(fs: FileSystem, root: string, dir?: string): Promise<SessionSummary[]> {
  return (await listNewestSessions(fs, root, dir, Infinity)).sessions;
}

/** The newest `limit` sessions (only those are read: a summary parses the whole session) and how many there are. */
export async function listNewestSessions(fs: FileSystem, root: string, dir: string | undefined, limit: number): Promise<{ sessions: SessionSummary[]; total: number }> {
  const groups = await listSessionFiles(fs, await resolveSessionsDir(fs, root, dir));
  const sessions: SessionSummary[] = [];
  for (const g of groups.slice(0, limit)) sessions.push((await readGroup(fs, root, g)).summary);
  return { sessions, total: groups.length };
}

/**
 * Every session with its events, newest session first (for analytics over a period). With `modifiedSince`,
 * sessions whose last part was last written before it are not read at all: parsing dominates `stats` time.
 */
export async function readAllSessions(fs: FileSystem, root: string, dir?: string, modifiedSince?: Date): Promise<SessionRead[]> {
  const groups = await listSessionFiles(fs, await resolveSessionsDir(fs, root, dir));
  const out: SessionRead[] = [];
  for (const g of groups) {
    if (modifiedSince) {
      const st = await fs.stat(g.files[g.files.length - 1]);
      // mtime 0 means the file system does not know; read it then.
      if (st && st.mtimeMs > 0 && st.mtimeMs < modifiedSince.getTime()) continue;
    }
    out.push(await readGroup(fs, root, g));
  }
  return out;
}

async function findGroup(fs: FileSystem, root: string, id: string, dir?: string): Promise<SessionFileGroup> {
  // The id becomes a path: anything but the exact id shape is rejected before touching the disk.
  if (!isSessionId(id)) throw new SessionNotFoundError(`not a session id: '${id}'`);
  const g = (await listSessionFiles(fs, await resolveSessionsDir(fs, root, dir))).find((x) => x.id === id);
  if (!g) throw new SessionNotFoundError(`no session '${id}'`);
  return g;
}

/** Rejects with SessionNotFoundError for an unknown or malformed id. */
export async function readSession(fs: FileSystem, root: string, id: string, dir?: string): Promise<SessionRead> {
  return readGroup(fs, root, await findGroup(fs, root, id, dir));
}

/** Removes every part file of a session; returns the files removed. Rejects with SessionNotFoundError. */
export async function deleteSession(fs: FileSystem, root: string, id: string, dir?: string): Promise<string[]> {
  const g = await findGroup(fs, root, id, dir);
  for (const f of g.files) await fs.remove(f);
  return g.files;
}
