import { redactSecrets } from '../policy/redact';
import type { z } from 'zod';
import { systemClock, type Clock } from '../platform/clock';
import { walkFiles, type FileSystem } from '../platform/fileSystem';
import { confineWorkspacePath } from '../platform/workspacePath';
import { nullSink, type SessionEventSink } from '../sessions/sink';
import { serializeLesson } from './frontMatter';
import {
  lessonPatchSchema,
  LessonError,
  newLessonSchema,
  slugify,
  type Lesson,
  type LessonKind,
  type LessonPatch,
  type LessonProblem,
  type NewLesson,
} from './lesson';
import { isLessonsLearnedFile, parseLessonFile, parseLessonsLearnedFile } from './parse';
import { relatedLessons, type RelatedOptions } from './related';
import { searchLessons, type RerankSearchOptions, type SearchOutcome } from './rerank';
import { LessonIndex, type LessonHit, type SearchOptions } from './searchIndex';
import { LESSON_SETTING_KEYS } from './settings';

export interface LessonStoreOptions {
  fs: FileSystem;
  /** Workspace root, absolute, '/'-separated. */
  root: string;
  /** Where lesson files live; default `<root>/docs/lessons`. */
  dir?: string;
  /** Searched (recursively) for `lessons_learned*.md`; default `<root>/docs`. The root's own top level is too. */
  docsDir?: string;
  clock?: Clock;
  sink?: SessionEventSink;
}

/** What one file event changed, so a view can refresh just that. */
export interface LessonChange {
  readonly added: string[];
  readonly updated: string[];
  readonly removed: string[];
}

export interface ListFilter {
  tags?: readonly string[];
  kind?: LessonKind;
}

/** Same-title lessons on one day before giving up on a free name. */
const MAX_NAME_TRIES = 1000;

const noChange = (): LessonChange => ({ added: [], updated: [], removed: [] });
const toPosix = (p: string) => p.replace(/\\/g, '/').replace(/\/+$/, '');

/**
 * Lessons on disk plus their search index. Every mutation runs through one queue, so a watcher event arriving
 * while `add` writes cannot interleave with it; reads (`list`, `get`, search) are synchronous snapshots.
 */
export class LessonStore {
  readonly root: string;
  readonly dir: string;
  readonly docsDir: string;
  private readonly fs: FileSystem;
  private readonly clock: Clock;
  private readonly sink: SessionEventSink;
  private readonly index = new LessonIndex();
  private readonly idsByPath = new Map<string, string[]>();
  private readonly unreadable = new Map<string, LessonProblem>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: LessonStoreOptions) {
    this.fs = options.fs;
    this.root = toPosix(options.root);
    this.dir = toPosix(options.dir ?? `${this.root}/docs/lessons`);
    this.docsDir = toPosix(options.docsDir ?? `${this.root}/docs`);
    this.clock = options.clock ?? systemClock;
    this.sink = options.sink ?? nullSink;
  }

  /** Reads every lesson file from scratch. */
  load(): Promise<void> {
    return this.serial(async () => {
      const files = await this.findFiles();
      this.unreadable.clear();
      const texts = new Map<string, string>();
      for (let i = 0; i < files.length; i += 64) {
        await Promise.all(files.slice(i, i + 64).map(async (f) => {
          try {
            texts.set(f, await this.fs.readText(f));
          } catch (e) {
            this.unreadable.set(f, { file: f, line: 1, message: `cannot read: ${(e as Error).message}` });
          }
        }));
      }
      this.idsByPath.clear();
      const all: Lesson[] = [];
      const taken = new Map<string, string>();
      for (const f of files) {
        const text = texts.get(f);
        if (text === undefined) continue;
        const lessons = this.uniqueIds(parseFile(f, text), (id) => taken.get(id));
        for (const l of lessons) taken.set(l.id, l.path);
        this.idsByPath.set(f, lessons.map((l) => l.id));
        all.push(...lessons);
      }
      this.index.reset(all);
    });
  }

  /** Newest first (by `created`), then by title. */
  list(filter: ListFilter = {}): Lesson[] {
    const tags = (filter.tags ?? []).map((t) => t.toLowerCase());
    return [...this.index.values()]
      .filter((l) => (!filter.kind || l.kind === filter.kind) && tags.every((t) => l.tags.includes(t)))
      .sort((a, b) => (b.created ?? '').localeCompare(a.created ?? '') || a.title.localeCompare(b.title));
  }

  get(id: string): Lesson | undefined {
    return this.index.get(id);
  }

  get size(): number {
    return this.index.size;
  }

  /** Every problem: malformed front matter, duplicate ids, unreadable files. */
  problems(): LessonProblem[] {
    const out = [...this.unreadable.values()];
    for (const l of this.index.values()) out.push(...l.problems);
    return out.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
  }

  /** Tag → number of lessons, most used first: the sidebar's filter chips. */
  tags(): { tag: string; count: number }[] {
    const counts = new Map<string, number>();
    for (const l of this.index.values()) for (const t of l.tags) counts.set(t, (counts.get(t) ?? 0) + 1);
    return [...counts].map(([tag, count]) => ({ tag, count })).sort((a, b) => b.count - a.count || a.tag.localeCompare(b.tag));
  }

  /** Whether a watcher event for `path` concerns the store (the adapter forwards only these). */
  isLessonFile(path: string): boolean {
    const p = toPosix(path);
    const name = p.slice(p.lastIndexOf('/') + 1);
    if (!/\.md$/i.test(name) || name.startsWith('.')) return false;
    if (p.startsWith(`${this.dir}/`)) return !/^readme\.md$/i.test(name);
    return isLessonsLearnedFile(p) && (p.startsWith(`${this.docsDir}/`) || p === `${this.root}/${name}`);
  }

  /**
   * Writes a new lesson file. The name is reserved by an exclusive create: another window, CLI or MCP process
   * adding the same title at the same moment gets the next free `-N` suffix instead of overwriting this one.
   */
  add(input: NewLesson): Promise<Lesson> {
    return this.serial(async () => {
      const v = validate(newLessonSchema, input);
      await this.folders();
      const created = this.clock.now().toISOString().slice(0, 10);
      // A key pasted into a title must not become part of a file name.
      const base = `${created}-${slugify(redactSecrets(v.title).text)}`;
      for (let n = 1; n <= MAX_NAME_TRIES; n++) {
        const id = n === 1 ? base : `${base}-${n}`;
        if (this.index.get(id)) continue;
        const text = serializeLesson({
          id,
          title: v.title,
          kind: v.kind ?? 'lesson',
          tags: v.tags ?? [],
          created,
          source: v.source || undefined,
          rule: v.rule || undefined,
          globs: v.globs ?? [],
          extra: {},
          body: v.body,
        });
        const path = `${this.dir}/${id}.md`;
        let reserved: boolean;
        try {
          reserved = await this.fs.createText(path, text);
        } catch (e) {
          throw new LessonError('io', `cannot write ${path}: ${(e as Error).message}`);
        }
        if (!reserved) continue;
        this.ingest(path, text);
        await this.log(id, v.title, 'add');
        return this.index.get(id)!;
      }
      throw new LessonError('io', `no free file name for "${base}" in ${this.dir} after ${MAX_NAME_TRIES} tries`);
    });
  }

  /** Rewrites a lesson file with the patch applied; its id and path stay. */
  update(id: string, patch: LessonPatch): Promise<Lesson> {
    return this.serial(async () => {
      const lesson = this.editable(id);
      const p = validate(lessonPatchSchema, patch);
      const text = serializeLesson({
        id: lesson.id,
        title: p.title ?? lesson.title,
        kind: p.kind ?? lesson.kind,
        tags: p.tags ?? lesson.tags,
        created: lesson.created,
        source: p.source === undefined ? lesson.source : p.source || undefined,
        rule: p.rule === undefined ? lesson.rule : p.rule || undefined,
        globs: p.globs ?? lesson.globs,
        extra: lesson.extra,
        body: patch.body === undefined ? lesson.body : (p.body ?? ''),
      });
      await this.write(lesson.path, text);
      this.ingest(lesson.path, text);
      const updated = this.index.get(this.idsByPath.get(lesson.path)![0])!;
      await this.log(updated.id, updated.title, 'update');
      return updated;
    });
  }

  delete(id: string): Promise<void> {
    return this.serial(async () => {
      const lesson = this.editable(id);
      try {
        await this.fs.remove(lesson.path);
      } catch (e) {
        throw new LessonError('io', `cannot delete ${lesson.path}: ${(e as Error).message}`);
      }
      this.forget(lesson.path);
      await this.log(lesson.id, lesson.title, 'delete');
    });
  }

  /** A watcher saw `path` created or changed: re-read just that file. A vanished file counts as removed. */
  applyFileChange(path: string): Promise<LessonChange> {
    const p = toPosix(path);
    if (!this.isLessonFile(p)) return Promise.resolve(noChange());
    return this.serial(async () => {
      let text: string;
      try {
        text = await this.fs.readText(p);
      } catch (e) {
        if (!(await this.fs.stat(p))) return this.forget(p);
        this.unreadable.set(p, { file: p, line: 1, message: `cannot read: ${(e as Error).message}` });
        return noChange();
      }
      return this.ingest(p, text);
    });
  }

  /** A watcher saw `path` deleted. */
  removeFile(path: string): Promise<LessonChange> {
    const p = toPosix(path);
    return this.serial(async () => this.forget(p));
  }

  /** Instant text search (no network): what the sidebar runs per keystroke. */
  searchText(query: string, options: SearchOptions = {}): LessonHit[] {
    return this.index.search(query, options);
  }

  /** Text search, re-ranked by `options.rerank` when given and reachable. */
  search(query: string, options: RerankSearchOptions = {}): Promise<SearchOutcome> {
    return searchLessons(this.index, query, options);
  }

  /** Lessons about a file (workspace-relative or absolute path under the root). */
  relatedLessons(path: string, options: RelatedOptions = {}): Lesson[] {
    const p = toPosix(path);
    const rel = p.startsWith(`${this.root}/`) ? p.slice(this.root.length + 1) : p;
    return relatedLessons(this.index.values(), rel, options);
  }

  /**
   * The lesson folders, checked before every walk and write: inside the workspace by real path, or
   * WorkspaceSettingError naming the setting (a cloned repository's settings must not make lessons come from, or
   * go to, a folder outside it).
   */
  async folders(): Promise<{ dir: string; docsDir: string }> {
    // Checked (and named in a refusal) relative to the root, as the person wrote the setting: "../elsewhere", not
    // the joined "/home/me/repo/../elsewhere". Both resolve alike.
    const asWritten = (path: string) => (path.startsWith(`${this.root}/`) ? path.slice(this.root.length + 1) : path);
    const confine = (path: string, setting: string) => confineWorkspacePath(this.fs, this.root, asWritten(path), { setting, expect: 'directory' });
    return { dir: await confine(this.dir, LESSON_SETTING_KEYS.dir), docsDir: await confine(this.docsDir, LESSON_SETTING_KEYS.docsDir) };
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async findFiles(): Promise<string[]> {
    await this.folders();
    const found = new Set<string>();
    for await (const f of walkFiles(this.fs, this.dir, (rel) => this.isLessonFile(`${this.dir}/${rel}`))) found.add(f);
    if (await this.fs.stat(this.docsDir)) {
      for await (const f of walkFiles(this.fs, this.docsDir, (rel) => isLessonsLearnedFile(rel))) found.add(f);
    }
    try {
      for (const e of await this.fs.readDir(this.root)) {
        if (e.kind === 'file' && isLessonsLearnedFile(e.name)) found.add(`${this.root}/${e.name}`);
      }
    } catch {
      // no workspace root on disk: nothing at the top level
    }
    return [...found].sort();
  }

  /** Replaces the lessons of one file in the index; returns what changed. */
  private ingest(path: string, text: string): LessonChange {
    const old = this.idsByPath.get(path) ?? [];
    for (const id of old) this.index.delete(id);
    this.unreadable.delete(path);
    const lessons = this.uniqueIds(parseFile(path, text), (id) => this.index.get(id)?.path);
    for (const l of lessons) this.index.set(l);
    const ids = lessons.map((l) => l.id);
    this.idsByPath.set(path, ids);
    return {
      added: ids.filter((id) => !old.includes(id)),
      updated: ids.filter((id) => old.includes(id)),
      removed: old.filter((id) => !ids.includes(id)),
    };
  }

  private forget(path: string): LessonChange {
    const ids = this.idsByPath.get(path) ?? [];
    for (const id of ids) this.index.delete(id);
    this.idsByPath.delete(path);
    this.unreadable.delete(path);
    return { added: [], updated: [], removed: ids };
  }

  /** Two files claiming one id: the later keeps listing under `<id>~N`, with a problem saying why. */
  private uniqueIds(lessons: Lesson[], ownerOf: (id: string) => string | undefined): Lesson[] {
    const mine = new Set<string>();
    const taken = (id: string) => mine.has(id) || ownerOf(id) !== undefined;
    return lessons.map((l) => {
      let lesson = l;
      const owner = ownerOf(l.id);
      if (owner !== undefined) {
        let n = 2;
        while (taken(`${l.id}~${n}`)) n++;
        const message = `duplicate id "${l.id}" (also in ${owner}); listed as "${l.id}~${n}"`;
        lesson = { ...l, id: `${l.id}~${n}`, problems: [...l.problems, { file: l.path, line: l.line, message }] };
      }
      mine.add(lesson.id);
      return lesson;
    });
  }

  private editable(id: string): Lesson {
    const lesson = this.index.get(id);
    if (!lesson) throw new LessonError('not-found', `no lesson with id "${id}"`);
    if (lesson.readOnly) throw new LessonError('read-only', `"${id}" lives in ${lesson.path}; edit that file directly`);
    return lesson;
  }

  private async write(path: string, text: string): Promise<void> {
    try {
      await this.fs.writeText(path, text);
    } catch (e) {
      throw new LessonError('io', `cannot write ${path}: ${(e as Error).message}`);
    }
  }

  private async log(id: string, title: string, action: 'add' | 'update' | 'delete'): Promise<void> {
    try {
      await this.sink.append({ type: 'lesson', payload: { id, title, action } });
    } catch {
      // The lesson is saved; a session log that cannot be written must not undo that.
    }
  }
}

function parseFile(path: string, text: string): Lesson[] {
  return isLessonsLearnedFile(path) ? parseLessonsLearnedFile(path, text) : [parseLessonFile(path, text)];
}

function validate<S extends typeof newLessonSchema | typeof lessonPatchSchema>(schema: S, input: unknown) {
  const r = schema.safeParse(input);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new LessonError('invalid-input', `${issue.path.join('.') || 'lesson'}: ${issue.message}`);
  }
  return r.data as z.output<S>;
}
