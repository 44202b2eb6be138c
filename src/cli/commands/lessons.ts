import { resolve } from 'node:path';
import { CachedEmbedder, DEFAULT_EMBED_MODEL, DEFAULT_OLLAMA_HOST, OllamaEmbedder } from '../../core/lessons/embeddings';
import { LESSON_KINDS, LessonError, type Lesson, type LessonKind } from '../../core/lessons/lesson';
import { maskedSnippet } from '../../core/lessons/maskedSnippet';
import type { LessonStore } from '../../core/lessons/store';
import { redactSecrets } from '../../core/policy/redact';
import { systemClock, type Clock } from '../../core/platform/clock';
import { nodeFileSystem, type FileSystem } from '../../core/platform/fileSystem';
import { readWorkspaceLessonSettings } from '../../core/lessons/settings';
import { WorkspaceLessons } from '../../core/lessons/workspaceLessons';
import { parseCliArgs } from '../args';
import { CliError, UsageError, type CliCommand, type CliIO } from '../command';
import { openCliSessionSink } from './sessions';
import { count } from '../../core/text/plural';

export interface LessonsCliDeps {
  fs: FileSystem;
  clock: Clock;
}

const USAGE = {
  add: 'llmgenie lessons add --title T [--body B | --body -] [--tags a,b] [--kind lesson|best-practice|anti-pattern] [--source S] [--rule ID] [--dir D] [--json]\n  --body -: read the body from stdin; --dir: lessons folder (default docs/lessons)',
  search:
    'llmgenie lessons search "QUERY" [--limit N] [--tag T]... [--kind K] [--json] [--rerank [--ollama-host URL] [--embed-model M]] [--dir D]\n  --rerank: reorder by Ollama embeddings when reachable (host: --ollama-host, $OLLAMA_HOST or 127.0.0.1:11434)',
  list: 'llmgenie lessons list [--tag T]... [--kind K] [--json] [--dir D]\n  exits 1 when a lesson file has problems (listed on stderr as file:line: message)',
};

const toPosix = (p: string) => p.replace(/\\/g, '/');

export function lessonsCommands(deps: LessonsCliDeps = { fs: nodeFileSystem, clock: systemClock }): CliCommand[] {
  async function openStore(io: CliIO, dir: string | undefined, withSink = false): Promise<LessonStore> {
    const root = toPosix(io.cwd);
    // The workspace's one lessons index, as the editor and the MCP server read it (.vscode/settings.json), unless
    // --dir says where the lessons are.
    const index = new WorkspaceLessons({
      fs: deps.fs,
      clock: deps.clock,
      root,
      // One command, one read: nothing to re-check, so no file signatures either.
      watched: true,
      ...(withSink ? { sink: openCliSessionSink(io, { root, fs: deps.fs, clock: deps.clock }) } : {}),
      ...(dir ? { folders: async () => ({ ...(await readWorkspaceLessonSettings(deps.fs, root)), dir: toPosix(resolve(io.cwd, dir)) }) } : {}),
    });
    return index.store();
  }

  const add: CliCommand = {
    words: ['lessons', 'add'],
    summary: 'Save a lesson as a markdown file in the lessons folder',
    usage: USAGE.add,
    async run(args, io) {
      const { values, positionals } = parseCliArgs(args, {
        title: { type: 'string' },
        body: { type: 'string' },
        tags: { type: 'string' },
        kind: { type: 'string' },
        source: { type: 'string' },
        rule: { type: 'string' },
        dir: { type: 'string' },
        json: { type: 'boolean' },
      });
      if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
      if (!values.title?.trim()) throw new UsageError('--title is required');
      const kind = parseKind(values.kind);
      const body = values.body === '-' ? await io.readStdin() : (values.body ?? '');
      const store = await openStore(io, values.dir, true);
      let lesson: Lesson;
      try {
        lesson = await store.add({ title: values.title, body, tags: values.tags, kind, source: values.source, rule: values.rule });
      } catch (e) {
        if (LessonError.is(e, 'invalid-input')) throw new UsageError(e.message);
        if (LessonError.is(e)) throw new CliError(e.message);
        throw e;
      }
      if (values.json) io.out(`${JSON.stringify(lessonJson(lesson, io.cwd))}\n`);
      else io.out(`added ${lesson.id}: ${relative(io.cwd, lesson.path)}\n`);
      return 0;
    },
  };

  const search: CliCommand = {
    words: ['lessons', 'search'],
    summary: 'Ranked full-text search over lessons (English and Russian)',
    usage: USAGE.search,
    async run(args, io) {
      const { values, positionals } = parseCliArgs(args, {
        limit: { type: 'string' },
        tag: { type: 'string', multiple: true },
        kind: { type: 'string' },
        json: { type: 'boolean' },
        rerank: { type: 'boolean' },
        'ollama-host': { type: 'string' },
        'embed-model': { type: 'string' },
        dir: { type: 'string' },
      });
      const query = positionals.join(' ').trim();
      if (!query) throw new UsageError('a query is required');
      const limit = parseLimit(values.limit);
      const store = await openStore(io, values.dir);
      const rerank = values.rerank
        ? new CachedEmbedder(
            new OllamaEmbedder({ host: ollamaHost(values['ollama-host'] ?? io.env.OLLAMA_HOST), model: values['embed-model'] ?? DEFAULT_EMBED_MODEL }),
            { fs: deps.fs, path: `${store.root}/.llmgenie/cache/embeddings.json` },
          )
        : undefined;
      const outcome = await store.search(query, { limit, tags: values.tag, kind: parseKind(values.kind), rerank });
      if (rerank && !outcome.reranked) io.err(`llmgenie lessons search: not re-ranked: ${outcome.reason}\n`);
      noteProblems(store, io);
      if (values.json) {
        const rows = outcome.hits.map((h) => ({ id: h.id, title: mask(h.title), tags: h.tags, score: h.score, path: relative(io.cwd, h.path), snippet: maskedSnippet(h, store.get(h.id)) }));
        io.out(`${JSON.stringify(rows)}\n`);
      } else if (!store.size) {
        io.out(emptyHint(io, store));
      } else if (!outcome.hits.length) {
        io.out(`no lessons match "${query}"\n`);
      } else {
        for (const h of outcome.hits) {
          const where = `${relative(io.cwd, h.path)}${h.line > 1 ? `:${h.line}` : ''}`;
          const snippet = maskedSnippet(h, store.get(h.id));
          io.out(`${h.score.toFixed(2).padStart(7)}  ${mask(h.title)}${h.tags.length ? `  [${h.tags.join(', ')}]` : ''}\n         ${where}\n${snippet ? `         ${snippet}\n` : ''}`);
        }
      }
      return 0;
    },
  };

  const list: CliCommand = {
    words: ['lessons', 'list'],
    summary: 'List lessons newest first; report malformed lesson files',
    usage: USAGE.list,
    async run(args, io) {
      const { values, positionals } = parseCliArgs(args, {
        tag: { type: 'string', multiple: true },
        kind: { type: 'string' },
        json: { type: 'boolean' },
        dir: { type: 'string' },
      });
      if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
      const store = await openStore(io, values.dir);
      const lessons = store.list({ tags: values.tag, kind: parseKind(values.kind) });
      if (values.json) {
        io.out(`${JSON.stringify(lessons.map((l) => lessonJson(l, io.cwd)))}\n`);
      } else if (!store.size) {
        io.out(emptyHint(io, store));
      } else if (!lessons.length) {
        io.out('no lessons match the filter\n');
      } else {
        const width = Math.min(48, Math.max(...lessons.map((l) => l.id.length)));
        for (const l of lessons) {
          io.out(`${l.id.padEnd(width)}  ${l.kind.padEnd(13)}  ${mask(l.title)}${l.tags.length ? `  [${l.tags.join(', ')}]` : ''}\n`);
        }
      }
      const problems = store.problems();
      for (const p of problems) io.err(`${relative(io.cwd, p.file)}:${p.line}: ${p.message}\n`);
      return problems.length ? 1 : 0;
    },
  };

  return [add, search, list];
}

export const commands: CliCommand[] = lessonsCommands();

/** Terminal output lands in scrollback, CI logs and agents' context: a lesson quoting a key must not print it. */
const mask = (text: string): string => redactSecrets(text).text;

function lessonJson(l: Lesson, cwd: string) {
  return {
    id: l.id,
    title: mask(l.title),
    tags: l.tags,
    kind: l.kind,
    created: l.created ?? null,
    source: l.source === undefined ? null : mask(l.source),
    rule: l.rule ?? null,
    globs: l.globs,
    path: relative(cwd, l.path),
    line: l.line,
    readOnly: l.readOnly,
    problems: l.problems.map((p) => ({ line: p.line, message: p.message })),
    body: mask(l.body),
  };
}

function emptyHint(io: CliIO, store: LessonStore): string {
  return `no lessons in ${relative(io.cwd, store.dir)} yet; add one with: llmgenie lessons add --title "..." --body "..."\n`;
}

function noteProblems(store: LessonStore, io: CliIO): void {
  const files = new Set(store.problems().map((p) => p.file)).size;
  if (files) io.err(`llmgenie: ${count(files, 'lesson file has', 'lesson files have')} problems; see llmgenie lessons list\n`);
}

function parseKind(kind: string | undefined): LessonKind | undefined {
  if (kind === undefined) return undefined;
  if (!(LESSON_KINDS as readonly string[]).includes(kind)) throw new UsageError(`--kind must be one of ${LESSON_KINDS.join(', ')}`);
  return kind as LessonKind;
}

function parseLimit(limit: string | undefined): number | undefined {
  if (limit === undefined) return undefined;
  const n = Number(limit);
  if (!Number.isInteger(n) || n < 1) throw new UsageError('--limit must be a positive whole number');
  return n;
}

/** OLLAMA_HOST is often written without a scheme (`0.0.0.0:11434`), as the ollama CLI accepts. */
function ollamaHost(value: string | undefined): string {
  if (!value?.trim()) return DEFAULT_OLLAMA_HOST;
  const v = value.trim();
  return /^https?:\/\//i.test(v) ? v : `http://${v}`;
}

function relative(cwd: string, path: string): string {
  const root = toPosix(cwd).replace(/\/+$/, '');
  return path.startsWith(`${root}/`) ? path.slice(root.length + 1) : path;
}
