import { randomBytes } from 'node:crypto';
import type { Clock } from '../platform/clock';
import type { FileSystem } from '../platform/fileSystem';
import { EVENT_VERSION, PAYLOAD_SCHEMAS, isKnownType } from './events';
import type { KnownSessionEvent, SessionHost } from './events';
import { listSessionFiles, makeSessionId, partFileName, relativeToRoot, resolveSessionsDir, sessionIdTime } from './layout';
import { redactPayload } from './redactPayload';
import type { EventLocation, LocatingSessionEventSink, SessionEventInput } from './sink';

export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;

/** 0 (or absent in a custom object) means "no limit" for that criterion. */
export interface RetentionOptions {
  maxSessions?: number;
  maxAgeDays?: number;
}

export const DEFAULT_RETENTION: Required<RetentionOptions> = { maxSessions: 200, maxAgeDays: 60 };

export interface OpenSessionOptions {
  /** Workspace root (absolute, '/'-separated). */
  root: string;
  /** Sessions folder, relative to root or absolute; default `.llmgenie/sessions`. */
  dir?: string;
  host: SessionHost;
  /** Shown in reports; default the root folder's name. */
  workspace?: string;
  version?: string;
  /** Size after which the session continues in a new part file; default 5 MB. */
  maxBytes?: number;
  retention?: RetentionOptions;
  /** Six base36 characters; injectable so tests can force two stores onto one file. */
  randomId?: () => string;
}

export class SessionEventError extends Error {}

/**
 * Opens a new session: prunes old sessions by the retention setting, then writes the `session-start` line.
 * Pruning is best effort; failing to write the first line rejects.
 */
export async function openSession(fs: FileSystem, clock: Clock, opts: OpenSessionOptions): Promise<SessionStore> {
  const dirPath = await resolveSessionsDir(fs, opts.root, opts.dir);
  // One clock read: the id, the retention cut-off and the session-start line all use the same instant.
  const start = clock.now();
  await pruneSessions(fs, { now: () => start }, dirPath, opts.retention ?? DEFAULT_RETENTION, 1);
  const id = makeSessionId(start, (opts.randomId ?? defaultRandomId)());
  const store = new SessionStore(fs, clock, opts.root, dirPath, id, opts.maxBytes ?? DEFAULT_MAX_BYTES);
  const existing = await fs.stat(store.path);
  store.initSize(existing?.size ?? 0);
  const workspace = opts.workspace ?? (opts.root.replace(/\/+$/, '').split('/').pop() || opts.root);
  await store.writeEvent(
    'session-start',
    { host: opts.host, workspace, version: opts.version ?? 'unknown', ...(typeof process !== 'undefined' ? { pid: process.pid } : {}) },
    start,
  );
  return store;
}

function defaultRandomId(): string {
  // 6 base36 chars from 4 random bytes: collisions need two sessions in the same millisecond anyway.
  return (randomBytes(4).readUInt32BE(0) % 36 ** 6).toString(36).padStart(6, '0');
}

/** One open session: appends are serialised, each one a single `appendText` of one full line. */
export class SessionStore implements LocatingSessionEventSink {
  private part = 1;
  private size = 0;
  private seq = 0;
  private tail: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<(event: KnownSessionEvent, file: string) => void>();

  constructor(
    private readonly fs: FileSystem,
    private readonly clock: Clock,
    readonly root: string,
    readonly dirPath: string,
    readonly sessionId: string,
    readonly maxBytes: number,
  ) {}

  /** The part file currently written (absolute). */
  get path(): string {
    return `${this.dirPath}/${partFileName(this.sessionId, this.part)}`;
  }

  /** The current part file relative to the workspace root, for links. */
  get relativePath(): string {
    return relativeToRoot(this.root, this.path);
  }

  /** Every part file written so far, oldest first. */
  get files(): string[] {
    return Array.from({ length: this.part }, (_, i) => `${this.dirPath}/${partFileName(this.sessionId, i + 1)}`);
  }

  /**
   * Called after each event is on disk, in order: lets the window that writes refresh its tree and dashboard
   * without waiting for a file watcher. Returns the unsubscribe function. A throwing listener is ignored.
   */
  onDidAppend(listener: (event: KnownSessionEvent, file: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** @internal used by openSession when the file already exists. */
  initSize(size: number): void {
    this.size = size;
  }

  /** Rejects with SessionEventError for an invalid payload, or with the file system's error. */
  async append(event: SessionEventInput): Promise<void> {
    await this.writeEvent(event.type, event.payload);
  }

  async appendLocated(event: SessionEventInput): Promise<EventLocation> {
    const { written, file } = await this.writeEvent(event.type, event.payload);
    return { sessionId: this.sessionId, file: relativeToRoot(this.root, file), eventId: written.id };
  }

  /** @internal */
  writeEvent(type: string, payload: unknown, time?: Date): Promise<{ written: KnownSessionEvent; file: string }> {
    const job = () => this.writeNow(type, payload, time);
    const run = this.tail.then(job, job);
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async writeNow(type: string, payload: unknown, time?: Date): Promise<{ written: KnownSessionEvent; file: string }> {
    if (!isKnownType(type)) throw new SessionEventError(`unknown session event type '${type}'`);
    const { value, count } = redactPayload(payload);
    const check = PAYLOAD_SCHEMAS[type].safeParse(value);
    if (!check.success) {
      const i = check.error.issues[0];
      throw new SessionEventError(`invalid '${type}' event: ${i ? `${i.path.join('.') || '(payload)'}: ${i.message}` : 'invalid'}`);
    }
    const event = {
      v: EVENT_VERSION,
      id: `e${++this.seq}`,
      time: (time ?? this.clock.now()).toISOString(),
      type,
      payload: value,
      ...(count ? { redacted: count } : {}),
    } as KnownSessionEvent;
    const line = `${JSON.stringify(event)}\n`;
    const bytes = Buffer.byteLength(line, 'utf8');
    if (this.size > 0 && this.size + bytes > this.maxBytes) {
      this.part++;
      this.size = (await this.fs.stat(this.path))?.size ?? 0;
    }
    const file = this.path;
    await this.fs.appendText(file, line);
    this.size += bytes;
    for (const l of this.listeners) {
      try {
        l(event, file);
      } catch {
        // a view's bug must not fail the task that logged the event
      }
    }
    return { written: event, file };
  }
}

/**
 * Deletes sessions beyond `maxSessions - reserve` (newest kept) and sessions whose last write is older than
 * `maxAgeDays`. `reserve` leaves room for the session about to be opened. Returns the removed ids.
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
  if (maxSessions <= 0 && maxAgeDays <= 0) return [];
  const groups = await listSessionFiles(fs, dirPath);
  const keep = maxSessions > 0 ? Math.max(0, maxSessions - reserve) : Infinity;
  const cutoff = maxAgeDays > 0 ? clock.now().getTime() - maxAgeDays * 86_400_000 : -Infinity;
  const removed: string[] = [];
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i];
    let drop = i >= keep;
    if (!drop && cutoff > -Infinity) {
      // Last activity: the newest part's mtime, but never earlier than the start encoded in the id.
      const st = await fs.stat(g.files[g.files.length - 1]).catch(() => undefined);
      drop = Math.max(sessionIdTime(g.id) || 0, st?.mtimeMs ?? 0) < cutoff;
    }
    if (!drop) continue;
    try {
      for (const f of g.files) await fs.remove(f);
      removed.push(g.id);
    } catch {
      // Another window may hold or have removed it; retention retries on the next open.
    }
  }
  return removed;
}
