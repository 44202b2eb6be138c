// Conversation threads as reviewable workspace files: `.llmgenie/conversations/<id>.jsonl`, one JSON record a line,
// secrets masked before anything is written (the same masking as what is sent to Claude).
import * as z from 'zod/mini';
import { redactForCloud, type Redactor } from '../router/cloudGuard';
import type { FileSystem } from '../platform/fileSystem';
import { THREAD_ID, foldThread, summarise, threadRecordSchema, titleFrom, type ChatThread, type ChatTurn, type ThreadRecord, type ThreadSummary } from './thread';

export const CONVERSATIONS_DIR = '.llmgenie/conversations';

export interface ThreadStoreOptions {
  fs: FileSystem;
  /** Workspace root, '/'-separated. */
  root: string;
  redact?: Redactor;
  now?: () => number;
  newId: () => string;
}

export interface LoadedThread {
  thread: ChatThread;
  /** Lines that did not parse (kept in the file, skipped here). */
  skipped: number;
}

export interface ThreadStore {
  readonly dir: string;
  fileOf(id: string): string;
  list(): Promise<ThreadSummary[]>;
  load(id: string): Promise<LoadedThread | undefined>;
  create(firstQuestion?: string): Promise<ChatThread>;
  /** Appends (or, for an id already there, replaces) a finished turn, masked; returns the turn as stored. */
  saveTurn(threadId: string, turn: ChatTurn): Promise<ChatTurn>;
  rename(threadId: string, title: string): Promise<void>;
  remove(threadId: string): Promise<void>;
}

/** Threads listed at most: the newest, by their last turn. */
const MAX_LISTED = 200;

export function threadStore(o: ThreadStoreOptions): ThreadStore {
  const dir = `${o.root.replace(/\/+$/, '')}/${CONVERSATIONS_DIR}`;
  const now = o.now ?? Date.now;
  const redact = o.redact ?? redactForCloud;
  const fileOf = (id: string): string => {
    if (!THREAD_ID.test(id)) throw new Error(`not a conversation id: ${JSON.stringify(id.slice(0, 80))}`);
    return `${dir}/${id}.jsonl`;
  };
  const line = (r: ThreadRecord): string => `${JSON.stringify(r)}\n`;

  const read = async (id: string): Promise<LoadedThread | undefined> => {
    const file = fileOf(id);
    let raw: string;
    try {
      raw = await o.fs.readText(file);
    } catch {
      return undefined;
    }
    const records: ThreadRecord[] = [];
    let skipped = 0;
    for (const l of raw.split('\n')) {
      if (!l.trim()) continue;
      let json: unknown;
      try {
        json = JSON.parse(l);
      } catch {
        skipped++;
        continue;
      }
      const r = z.safeParse(threadRecordSchema, json);
      if (r.success) records.push(r.data);
      else skipped++;
    }
    const thread = foldThread(records);
    return thread && thread.id === id ? { thread, skipped } : undefined;
  };

  const mask = (s: string): string => redact(s).text;
  const maskTurn = (t: ChatTurn): ChatTurn => ({
    ...t,
    text: mask(t.text),
    ...(t.context ? { context: { ...t.context, text: mask(t.context.text) } } : {}),
    answer: {
      ...t.answer,
      answer: mask(t.answer.answer),
      drafts: t.answer.drafts.map((d) => ({ ...d, text: mask(d.text) })),
      banners: t.answer.banners.map((b) => ({ ...b, message: mask(b.message) })),
      toolCalls: t.answer.toolCalls.map((c) => ({ ...c, input: mask(c.input) })),
      ...(t.answer.source ? { source: { ...t.answer.source, original: mask(t.answer.source.original) } } : {}),
    },
  });

  return {
    dir,
    fileOf,
    async list() {
      let names: string[];
      try {
        names = (await o.fs.readDir(dir)).filter((e) => e.kind === 'file' && e.name.endsWith('.jsonl')).map((e) => e.name.slice(0, -'.jsonl'.length));
      } catch {
        return [];
      }
      const loaded = await Promise.all(names.filter((n) => THREAD_ID.test(n)).map((n) => read(n)));
      return loaded
        .flatMap((l) => (l ? [summarise(l.thread)] : []))
        .sort((a, b) => b.updatedAt - a.updatedAt)
        .slice(0, MAX_LISTED);
    },
    load: read,
    async create(firstQuestion) {
      const id = o.newId();
      const at = now();
      const thread: ChatThread = { id, title: titleFrom(mask(firstQuestion ?? '')), createdAt: at, updatedAt: at, turns: [] };
      const created = await o.fs.createText(fileOf(id), line({ kind: 'thread', v: 1, id, title: thread.title, createdAt: at }));
      if (!created) throw new Error(`conversation ${id} already exists`);
      return thread;
    },
    async saveTurn(threadId, turn) {
      const masked = maskTurn(turn);
      await o.fs.appendText(fileOf(threadId), line({ kind: 'turn', turn: masked }));
      return masked;
    },
    async rename(threadId, title) {
      await o.fs.appendText(fileOf(threadId), line({ kind: 'title', title: titleFrom(mask(title)), at: now() }));
    },
    async remove(threadId) {
      await o.fs.remove(fileOf(threadId));
    },
  };
}
