import type { Clock } from '../platform/clock';
import type { FileSystem } from '../platform/fileSystem';
import { machineName, processAlive } from '../platform/process';
import { listSessionFiles, sessionIdTime, type SessionFileGroup } from './layout';

/** 0 (or absent in a custom object) means "no limit" for that criterion. */
export interface RetentionOptions {
  maxSessions?: number;
  maxAgeDays?: number;
  /** All sessions together; the oldest go first once the folder is larger. */
  maxTotalMB?: number;
}

export const DEFAULT_RETENTION: Required<RetentionOptions> = { maxSessions: 200, maxAgeDays: 60, maxTotalMB: 1024 };

/** A lock whose process runs elsewhere counts as live while its heartbeat is this fresh. */
export const LOCK_FRESH_MS = 60 * 60_000;
/** How often a writing session refreshes its lock's heartbeat (on an append, never by a timer). */
export const HEARTBEAT_MS = 5 * 60_000;

interface LockBody {
  pid: number;
  machine: string;
}

/** `<id>.lock` beside the session's part files: no `.jsonl`, so readers never list it. */
export function sessionLockPath(dirPath: string, id: string): string {
  return `${dirPath}/${id}.lock`;
}

/** Marks the session as held by this process (pid + machine); rewritten as a heartbeat while it writes. */
export async function writeSessionLock(fs: FileSystem, dirPath: string, id: string): Promise<void> {
  const body: LockBody = { pid: process.pid, machine: machineName() };
  await fs.writeText(sessionLockPath(dirPath, id), `${JSON.stringify(body)}\n`);
}

/**
 * A session is live while the process holding its lock runs: by pid on this machine, by the lock's heartbeat
 * (mtime) for a process on another machine sharing the folder. No lock (released, or written by an older
 * version) means not live.
 */
export async function isSessionLive(fs: FileSystem, dirPath: string, id: string, now: number): Promise<boolean> {
  const path = sessionLockPath(dirPath, id);
  let body: Partial<LockBody>;
  try {
    body = JSON.parse(await fs.readText(path)) as Partial<LockBody>;
  } catch {
    return false;
  }
  if (body.machine === machineName()) return processAlive(Number(body.pid));
  const st = await fs.stat(path);
  return !!st && now - st.mtimeMs < LOCK_FRESH_MS;
}

/**
 * Deletes sessions by age first (last write older than `maxAgeDays`), then by size (oldest first until all
 * sessions together fit `maxTotalMB`), then by count (beyond `maxSessions - reserve`, newest kept; `reserve`
 * leaves room for the session about to be opened). A live session, one whose process still holds its lock, is
 * never deleted: a burst of CLI runs must not remove the log of a running MCP server. Returns the removed ids.
 */
export async function pruneSessions(
  fs: FileSystem,
  clock: Clock,
  dirPath: string,
  retention: RetentionOptions,
  reserve = 0,
): Promise<string[]> {
  const maxSessions = retention.maxSessions ?? 0;
  const maxAgeDays = retention.maxAgeDays ?? 0;
  const maxBytes = (retention.maxTotalMB ?? 0) * 1024 * 1024;
  if (maxSessions <= 0 && maxAgeDays <= 0 && maxBytes <= 0) return [];
  const now = clock.now().getTime();
  const groups = await listSessionFiles(fs, dirPath); // newest first
  const sized = await Promise.all(groups.map((g) => measure(fs, g)));
  const doomed = new Set<number>();
  if (maxAgeDays > 0) {
    const cutoff = now - maxAgeDays * 86_400_000;
    sized.forEach((s, i) => s.lastWrite < cutoff && doomed.add(i));
  }
  if (maxBytes > 0) {
    let total = 0;
    sized.forEach((s, i) => {
      if (doomed.has(i)) return;
      total += s.bytes;
      if (total > maxBytes) doomed.add(i);
    });
  }
  if (maxSessions > 0) {
    const keep = Math.max(0, maxSessions - reserve);
    let kept = 0;
    sized.forEach((_, i) => {
      if (!doomed.has(i) && ++kept > keep) doomed.add(i);
    });
  }
  const removed: string[] = [];
  for (const i of [...doomed].sort((a, b) => b - a)) {
    const g = groups[i];
    if (await isSessionLive(fs, dirPath, g.id, now)) continue;
    try {
      for (const f of g.files) await fs.remove(f);
      await fs.remove(sessionLockPath(dirPath, g.id));
      removed.push(g.id);
    } catch {
      // Another window may hold or have removed it; retention retries on the next open.
    }
  }
  return removed;
}

async function measure(fs: FileSystem, g: SessionFileGroup): Promise<{ bytes: number; lastWrite: number }> {
  const stats = await Promise.all(g.files.map((f) => fs.stat(f).catch(() => undefined)));
  const bytes = stats.reduce((n, s) => n + (s?.size ?? 0), 0);
  // Last activity: the newest part's mtime, but never earlier than the start encoded in the id.
  const lastWrite = Math.max(sessionIdTime(g.id) || 0, stats[stats.length - 1]?.mtimeMs ?? 0);
  return { bytes, lastWrite };
}
