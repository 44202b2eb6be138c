import type { FileSystem } from '../platform/fileSystem';
import type { SessionEvent } from './events';
import { isSessionId, listSessionFiles, relativeToRoot } from './layout';
import type { SessionFileGroup } from './layout';
import { parseSessionText, summarize } from './read';
import type { ReadWarning, SessionRead } from './read';

interface FileEntry {
  size: number;
  mtimeMs: number;
  bytes: number;
  events: SessionEvent[];
  warnings: ReadWarning[];
}

/**
 * Reads a sessions folder like `readAllSessions`, but parses only the part files whose size or mtime changed
 * since the last call. A live view refreshes on every append; without this each refresh would re-parse every
 * session kept by retention (200 by default) to pick up one new line.
 */
export class SessionReadCache {
  private readonly files = new Map<string, FileEntry>();
  /** Per session: the file entries it was built from, so an unchanged session is not even re-summarised. */
  private readonly groups = new Map<string, { entries: FileEntry[]; read: SessionRead }>();

  constructor(
    private readonly fs: FileSystem,
    private readonly root: string,
  ) {}

  /** Every session in `dirPath`, newest first. Entries of files that disappeared are dropped. */
  async readAll(dirPath: string): Promise<SessionRead[]> {
    const groups = await listSessionFiles(this.fs, dirPath);
    const seen = new Set<string>();
    const out: SessionRead[] = [];
    for (const g of groups) {
      for (const f of g.files) seen.add(f);
      out.push(await this.readGroup(g));
    }
    for (const f of [...this.files.keys()]) if (!seen.has(f)) this.files.delete(f);
    const ids = new Set(groups.map((g) => g.id));
    for (const id of [...this.groups.keys()]) if (!ids.has(id)) this.groups.delete(id);
    return out;
  }

  /** One session, or undefined for an unknown or malformed id. */
  async read(dirPath: string, id: string): Promise<SessionRead | undefined> {
    if (!isSessionId(id)) return undefined;
    const g = (await listSessionFiles(this.fs, dirPath)).find((x) => x.id === id);
    return g ? this.readGroup(g) : undefined;
  }

  /** Forget everything (e.g. after the sessions folder setting changed). */
  clear(): void {
    this.files.clear();
    this.groups.clear();
  }

  private async readGroup(g: SessionFileGroup): Promise<SessionRead> {
    const entries: FileEntry[] = [];
    for (const f of g.files) entries.push(await this.readFile(f));
    const prev = this.groups.get(g.id);
    if (prev && prev.entries.length === entries.length && prev.entries.every((e, i) => e === entries[i])) return prev.read;
    const events: SessionEvent[] = [];
    const warnings: ReadWarning[] = [];
    let bytes = 0;
    for (const entry of entries) {
      bytes += entry.bytes;
      for (const e of entry.events) events.push(e);
      for (const w of entry.warnings) warnings.push(w);
    }
    const read = { summary: summarize(g, events, warnings.length, bytes), events, warnings };
    this.groups.set(g.id, { entries, read });
    return read;
  }

  private async readFile(path: string): Promise<FileEntry> {
    // Stat before reading: if the file grows in between, the next call sees a new size and reads it again.
    const st = await this.fs.stat(path).catch(() => undefined);
    const cached = this.files.get(path);
    if (cached && st && cached.size === st.size && cached.mtimeMs === st.mtimeMs) return cached;
    const rel = relativeToRoot(this.root, path);
    let entry: FileEntry;
    try {
      const text = await this.fs.readText(path);
      const parsed = parseSessionText(text, rel);
      entry = { size: st?.size ?? -1, mtimeMs: st?.mtimeMs ?? -1, bytes: Buffer.byteLength(text, 'utf8'), ...parsed };
    } catch (e) {
      // Not cached: an unreadable file is retried on the next call.
      return { size: -1, mtimeMs: -1, bytes: 0, events: [], warnings: [{ file: rel, line: 0, message: `unreadable: ${(e as Error).message}` }] };
    }
    if (st) this.files.set(path, entry);
    return entry;
  }
}
