import { randomBytes } from 'node:crypto';
import type { Clock } from '../platform/clock';
import type { FileSystem } from '../platform/fileSystem';
import { EVENT_VERSION, PAYLOAD_SCHEMAS, isKnownType } from './events';
import type { KnownSessionEvent, SessionHost } from './events';
import { makeSessionId, partFileName, relativeToRoot, resolveSessionsDir } from './layout';
import { redactPayload } from './redactPayload';
import { DEFAULT_RETENTION, HEARTBEAT_MS, pruneSessions, sessionLockPath, writeSessionLock, type RetentionOptions } from './retention';
import type { EventLocation, LocatingSessionEventSink, SessionEventInput } from './sink';

export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;

export type { RetentionOptions } from './retention';
export { DEFAULT_RETENTION, pruneSessions } from './retention';

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
  // Held from the first line on, so another process's retention never deletes a log this one still writes.
  await writeSessionLock(fs, dirPath, id);
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
  private heartbeatAt = performance.now();
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

  /** This session is done: its log may be pruned like any other (the editor, when its settings move the log). */
  async release(): Promise<void> {
    await this.fs.remove(sessionLockPath(this.dirPath, this.sessionId)).catch(() => undefined);
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
    if (performance.now() - this.heartbeatAt > HEARTBEAT_MS) {
      this.heartbeatAt = performance.now();
      await writeSessionLock(this.fs, this.dirPath, this.sessionId).catch(() => undefined);
    }
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
