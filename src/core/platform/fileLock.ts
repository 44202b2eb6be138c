import type { FileSystem } from './fileSystem';

/**
 * A cross-process mutex on one file, for read-modify-write of a file that other processes append to (a rewrite
 * that read the file before another process's append and renames over it afterwards would drop that line). The lock
 * is a file created exclusively (O_EXCL); whoever creates it holds it until they remove it. A holder that died
 * leaves its lock behind: a lock older than `staleMs` is taken over, so a crash costs a pause, never a wedge.
 * Holders must keep the critical section short (milliseconds), far below `staleMs`.
 */
export interface FileLockOptions {
  /** A lock file older than this is presumed abandoned. Default 10 s. */
  staleMs?: number;
  /** Give up after waiting this long. Default 15 s (past staleMs, so an abandoned lock never makes us give up). */
  waitMs?: number;
  /** The lock file's text, for a person looking at it. */
  owner?: string;
}

export class FileLockTimeout extends Error {
  override readonly name = 'FileLockTimeout';
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function withFileLock<T>(fs: FileSystem, lockPath: string, fn: () => Promise<T>, opts: FileLockOptions = {}): Promise<T> {
  const staleMs = opts.staleMs ?? 10_000;
  const waitMs = opts.waitMs ?? 15_000;
  const owner = opts.owner ?? `pid ${typeof process === 'object' ? process.pid : '?'} at ${new Date().toISOString()}`;
  const started = Date.now();
  let pause = 2;
  for (;;) {
    if (await fs.createText(lockPath, `${Date.now()} ${owner}\n`)) break;
    const since = await lockedSince(fs, lockPath);
    if (since !== undefined && Date.now() - since > staleMs) {
      // Two waiters may both see it stale; the remove is harmless for the loser, whose create then fails again.
      await fs.remove(lockPath).catch(() => undefined);
      continue;
    }
    if (Date.now() - started > waitMs) throw new FileLockTimeout(`${lockPath} has been locked for over ${Math.round(waitMs / 1000)} s; try again`);
    // Jittered backoff: contention is between a few processes, for milliseconds.
    await sleep(pause + Math.random() * pause);
    pause = Math.min(pause * 2, 50);
  }
  try {
    return await fn();
  } finally {
    await fs.remove(lockPath).catch(() => undefined);
  }
}

/** When the lock was taken: the time its holder wrote into it (file systems without real mtimes), else its mtime. */
async function lockedSince(fs: FileSystem, lockPath: string): Promise<number | undefined> {
  const text = await fs.readText(lockPath).catch(() => undefined);
  if (text === undefined) return undefined;
  const written = Number(/^(\d{10,})\s/.exec(text)?.[1]);
  if (Number.isFinite(written)) return written;
  return (await fs.stat(lockPath))?.mtimeMs;
}
