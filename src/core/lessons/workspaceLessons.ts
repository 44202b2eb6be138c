import type { Clock } from '../platform/clock';
import { walkFiles, type FileSystem } from '../platform/fileSystem';
import type { SessionEventSink } from '../sessions/sink';
import type { LessonSearch } from '../router/tools';
import { maskedSnippet } from './maskedSnippet';
import { readWorkspaceLessonSettings } from './settings';
import { LessonStore, type LessonChange } from './store';

export interface WorkspaceLessonsOptions {
  fs: FileSystem;
  /** Workspace folder, absolute, '/'-separated. */
  root: string;
  clock?: Clock;
  sink?: SessionEventSink;
  /**
   * Where this folder keeps its lessons; read again on every (re)load. Default: the folder's
   * `.vscode/settings.json`, as the CLI and the MCP server read it; the editor passes its own settings.
   */
  folders?: () => Promise<{ dir: string; docsDir: string }>;
  /**
   * Until a watcher feeds `fileChanged` / `fileRemoved`, how long the file list is trusted before it is stat'ed
   * again, re-reading only new, changed or removed files (another process may edit a lesson at any time). Default 2 s.
   */
  ttlMs?: number;
  /** Monotonic ms, for the TTL (tests move it). */
  now?: () => number;
  /**
   * Never re-checked on its own: the caller runs a file watcher from `onLoaded` on and feeds `fileChanged` /
   * `fileRemoved` (the editor), or reads once and exits (a CLI command).
   */
  watched?: boolean;
  /** After a store's first load (even a failed one), whoever asked first: the editor starts its watcher here. */
  onLoaded?: (store: LessonStore) => void;
}

/**
 * One lessons index per workspace folder, shared by everything in the process that reads lessons: the sidebar,
 * the router's `search_lessons` tool and the MCP tools. The editor's file watcher keeps it current (`watched`);
 * without one (CLI, MCP) files are re-checked by signature once the TTL has passed. Concurrent callers share one
 * load or refresh.
 */
export class WorkspaceLessons {
  readonly root: string;
  private readonly fs: FileSystem;
  private readonly options: WorkspaceLessonsOptions;
  private readonly ttlMs: number;
  private readonly now: () => number;
  private loaded: LessonStore | undefined;
  private loading: Promise<LessonStore> | undefined;
  private checkedAt = -Infinity;
  /** Lesson file → "mtime:size" when last read (unwatched only). */
  private signatures = new Map<string, string>();
  /** A watcher feeds every lesson file change (`fileChanged` / `fileRemoved`): no re-checks then. */
  readonly watched: boolean;

  constructor(options: WorkspaceLessonsOptions) {
    this.options = options;
    this.fs = options.fs;
    this.root = options.root.replace(/\\/g, '/').replace(/\/+$/, '') || '/';
    this.ttlMs = options.ttlMs ?? 2000;
    this.watched = options.watched ?? false;
    this.now = options.now ?? (() => performance.now());
  }

  /** The store once loaded; undefined before the first `store()`. */
  get current(): LessonStore | undefined {
    return this.loaded;
  }

  /** The index, loaded on first use and kept current (watcher, or re-check after the TTL). */
  store(): Promise<LessonStore> {
    if (this.loading) return this.loading;
    if (this.loaded && (this.watched || this.now() - this.checkedAt < this.ttlMs)) return Promise.resolve(this.loaded);
    this.loading = this.refresh().finally(() => {
      this.loading = undefined;
    });
    return this.loading;
  }

  /** Reads every lesson again (a setting changed, or "Reload Lessons"); a changed folder setting starts afresh. */
  async reload(): Promise<LessonStore> {
    await this.loading?.catch(() => undefined);
    this.checkedAt = -Infinity;
    const store = await this.store();
    if (this.watched) await store.load();
    return store;
  }

  /** A watcher saw `path` created or changed. */
  fileChanged(path: string): Promise<LessonChange | undefined> {
    return this.loaded ? this.loaded.applyFileChange(path) : Promise.resolve(undefined);
  }

  /** A watcher saw `path` deleted. */
  fileRemoved(path: string): Promise<LessonChange | undefined> {
    return this.loaded ? this.loaded.removeFile(path) : Promise.resolve(undefined);
  }

  /** The router's `search_lessons` tool over this index; snippets are masked (a lesson may quote a secret). */
  readonly search: LessonSearch = async (query, limit) => {
    const store = await this.store();
    return store.searchText(query, { limit }).map((h) => ({ id: h.id, title: h.title, snippet: maskedSnippet(h, store.get(h.id)), score: h.score }));
  };

  private async refresh(): Promise<LessonStore> {
    const { dir, docsDir } = await (this.options.folders?.() ?? readWorkspaceLessonSettings(this.fs, this.root));
    if (this.loaded && (this.loaded.dir !== dir || this.loaded.docsDir !== docsDir)) {
      this.loaded = undefined;
      this.signatures = new Map();
    }
    const fresh = !this.loaded;
    // Kept even when its first load fails (a folder setting pointing outside the workspace): the caller is told
    // once, and a watcher or the next re-check can still fill it.
    const store = (this.loaded ??= new LessonStore({ fs: this.fs, root: this.root, dir, docsDir, ...(this.options.clock ? { clock: this.options.clock } : {}), ...(this.options.sink ? { sink: this.options.sink } : {}) }));
    // Unwatched: listed before reading, so a file changing in between differs from its signature next time.
    const signatures = this.watched ? undefined : await this.fileSignatures(store);
    if (fresh) {
      try {
        await store.load();
      } finally {
        this.options.onLoaded?.(store);
      }
    } else if (signatures) {
      for (const [file, sig] of signatures) if (this.signatures.get(file) !== sig) await store.applyFileChange(file);
      for (const file of this.signatures.keys()) if (!signatures.has(file)) await store.removeFile(file);
    }
    if (signatures) this.signatures = signatures;
    this.checkedAt = this.now();
    return store;
  }

  /** The files LessonStore.load reads (lessons folder, lessons_learned*.md under docs and at the root), signed. */
  private async fileSignatures(store: LessonStore): Promise<Map<string, string>> {
    const files = new Set<string>();
    await store.folders(); // refuses folders outside the workspace before walking them
    for (const dir of [store.dir, store.docsDir]) {
      for await (const f of walkFiles(this.fs, dir, (rel) => store.isLessonFile(`${dir}/${rel}`))) files.add(f);
    }
    for (const e of await this.fs.readDir(this.root).catch(() => [])) {
      if (e.kind === 'file' && store.isLessonFile(`${this.root}/${e.name}`)) files.add(`${this.root}/${e.name}`);
    }
    const out = new Map<string, string>();
    await Promise.all(
      [...files].map(async (f) => {
        const st = await this.fs.stat(f);
        if (st) out.set(f, `${st.mtimeMs}:${st.size}`);
      }),
    );
    return out;
  }
}
