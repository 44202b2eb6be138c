// zod/mini, imported as a namespace: the webview bundles this file and esbuild can then keep only what is used.
import * as z from 'zod/mini';
import type { LessonKind } from '../../core/lessons/lesson';
import type { LessonsViewModel } from '../../core/lessons/viewModel';

/** The Lessons sidebar's webview view id (package.json `views`); the view's own commands key off it. */
export const LESSONS_VIEW_ID = 'llmgenie.lessons';

// The core's LESSON_KINDS sits beside classic-zod schemas that importing it would bundle into the webview; this map
// must name exactly the core's kinds (checked by `satisfies`).
const kinds = { lesson: 'lesson', 'best-practice': 'best-practice', 'anti-pattern': 'anti-pattern' } as const satisfies { [K in LessonKind]: K };

const id = z.string().check(z.minLength(1), z.maxLength(500));
const text = z.string().check(z.maxLength(100_000));
const count = z.int().check(z.minimum(0));
const line = z.int().check(z.minimum(1));
const range = z.tuple([count, count]);
const tagList = z.array(z.string().check(z.maxLength(200))).check(z.maxLength(200));

const cardSchema = z.object({
  id,
  title: text,
  kind: z.enum(kinds),
  tags: tagList,
  snippet: text,
  highlights: z.array(range),
  titleHighlights: z.array(range),
  file: text,
  line,
  source: z.optional(text),
  sourceLink: z.optional(z.enum(['file', 'url'])),
  readOnly: z.boolean(),
  problems: count,
  folder: z.optional(text),
});

export const viewModelSchema = z.object({
  mode: z.enum(['loading', 'no-folder', 'empty', 'list', 'results', 'no-matches']),
  query: text,
  tags: tagList,
  total: count,
  cards: z.array(cardSchema),
  matched: count,
  chips: z.array(z.object({ tag: z.string(), count, selected: z.boolean() })),
  related: z.optional(z.object({ file: text, cards: z.array(cardSchema) })),
  problems: z.array(z.object({ file: text, line, message: text })),
  dir: text,
  note: z.optional(text),
});
export type LessonsViewState = z.infer<typeof viewModelSchema>;
/** The core's model is deeply readonly; the wire type is not. test/core/lessons/viewModel.test.ts parses one. */
export const toViewState = (m: LessonsViewModel): LessonsViewState => m as LessonsViewState;

/** host → webview */
export const hostMessageSchema = z.discriminatedUnion('type', [
  /** `seq` echoes the query it answers, so a slow answer to an older keystroke is dropped. */
  z.object({ type: z.literal('state'), seq: z.int(), state: viewModelSchema }),
  /** Sets the search box (and tag filter) as if typed: capture, "Show Related", restoring a host-side query. */
  z.object({ type: z.literal('setQuery'), query: text, tags: z.optional(tagList), focus: z.boolean() }),
  z.object({ type: z.literal('focusSearch') }),
]);
export type LessonsHostMessage = z.infer<typeof hostMessageSchema>;

/** webview → host. Actions name a lesson by id; the host finds its file, the webview never chooses a path. */
export const webviewMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('query'), seq: z.int(), query: text, tags: tagList }),
  z.object({ type: z.literal('open'), id }),
  z.object({ type: z.literal('edit'), id }),
  z.object({ type: z.literal('delete'), id }),
  z.object({ type: z.literal('openSource'), id }),
  z.object({ type: z.literal('openProblem'), file: text, line }),
  z.object({ type: z.literal('newLesson') }),
]);
export type LessonsWebviewMessage = z.infer<typeof webviewMessageSchema>;

/** What the webview keeps across reloads (`getState`/`setState`) and the host injects on first render. */
export const persistedStateSchema = z.object({
  query: z._default(text, ''),
  tags: z._default(tagList, []),
  scrollTop: z._default(z.number().check(z.minimum(0)), 0),
  chipsExpanded: z._default(z.boolean(), false),
});
export type LessonsPersistedState = z.infer<typeof persistedStateSchema>;
