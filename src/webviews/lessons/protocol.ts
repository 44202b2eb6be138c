import { z } from 'zod';
import { LESSON_KINDS } from '../../core/lessons/lesson';
import type { LessonsViewModel } from '../../core/lessons/viewModel';

/** The Lessons sidebar's webview view id (package.json `views`); the view's own commands key off it. */
export const LESSONS_VIEW_ID = 'llmgenie.lessons';

const id = z.string().min(1).max(500);
const text = z.string().max(100_000);
const range = z.tuple([z.number().int().min(0), z.number().int().min(0)]);
const tagList = z.array(z.string().max(200)).max(200);

const cardSchema = z.object({
  id,
  title: text,
  kind: z.enum(LESSON_KINDS),
  tags: tagList,
  snippet: text,
  highlights: z.array(range),
  titleHighlights: z.array(range),
  file: text,
  line: z.number().int().min(1),
  source: text.optional(),
  sourceLink: z.enum(['file', 'url']).optional(),
  readOnly: z.boolean(),
  problems: z.number().int().min(0),
});

export const viewModelSchema = z.object({
  mode: z.enum(['loading', 'no-folder', 'empty', 'list', 'results', 'no-matches']),
  query: text,
  tags: tagList,
  total: z.number().int().min(0),
  cards: z.array(cardSchema),
  matched: z.number().int().min(0),
  chips: z.array(z.object({ tag: z.string(), count: z.number().int().min(0), selected: z.boolean() })),
  related: z.object({ file: text, cards: z.array(cardSchema) }).optional(),
  problems: z.array(z.object({ file: text, line: z.number().int().min(1), message: text })),
  dir: text,
  note: text.optional(),
});
export type LessonsViewState = z.infer<typeof viewModelSchema>;
/** The core's model is deeply readonly; the wire type is not. test/core/lessons/viewModel.test.ts parses one. */
export const toViewState = (m: LessonsViewModel): LessonsViewState => m as LessonsViewState;

/** host → webview */
export const hostMessageSchema = z.discriminatedUnion('type', [
  /** `seq` echoes the query it answers, so a slow answer to an older keystroke is dropped. */
  z.object({ type: z.literal('state'), seq: z.number().int(), state: viewModelSchema }),
  /** Sets the search box (and tag filter) as if typed: capture, "Show Related", restoring a host-side query. */
  z.object({ type: z.literal('setQuery'), query: text, tags: tagList.optional(), focus: z.boolean() }),
  z.object({ type: z.literal('focusSearch') }),
]);
export type LessonsHostMessage = z.infer<typeof hostMessageSchema>;

/** webview → host. Actions name a lesson by id; the host finds its file, the webview never chooses a path. */
export const webviewMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('query'), seq: z.number().int(), query: text, tags: tagList }),
  z.object({ type: z.literal('open'), id }),
  z.object({ type: z.literal('edit'), id }),
  z.object({ type: z.literal('delete'), id }),
  z.object({ type: z.literal('openSource'), id }),
  z.object({ type: z.literal('openProblem'), file: text, line: z.number().int().min(1) }),
  z.object({ type: z.literal('newLesson') }),
]);
export type LessonsWebviewMessage = z.infer<typeof webviewMessageSchema>;

/** What the webview keeps across reloads (`getState`/`setState`) and the host injects on first render. */
export const persistedStateSchema = z.object({
  query: text.default(''),
  tags: tagList.default([]),
  scrollTop: z.number().min(0).default(0),
  chipsExpanded: z.boolean().default(false),
});
export type LessonsPersistedState = z.infer<typeof persistedStateSchema>;
