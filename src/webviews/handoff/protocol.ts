// zod/mini, imported as a namespace: the webview bundles this file and esbuild can then keep only what is used.
import * as z from 'zod/mini';
import type { HandoffPanelModel } from '../../core/handoff/panelModel';

/** The handoff panel's webview type; also the serializer's key, so it must never change. */
export const HANDOFF_VIEW_TYPE = 'llmgenie.handoff';

const gapIds = [
  'missing-prompt',
  'short-prompt',
  'unreviewed-prompt',
  'too-few-files',
  'missing-file',
  'invalid-file-path',
  'duplicate-file',
  'too-few-questions',
  'unanswered-question',
  'missing-context',
  'missing-lessons',
  'missing-scope',
  'missing-decisions',
  'placeholder',
  'missing-metadata',
] as const;

const line = z.int().check(z.minimum(1));
const text = z.string().check(z.maxLength(200_000));
const count = z.int().check(z.minimum(0));

export const panelModelSchema = z.object({
  file: z.string(),
  title: z.string(),
  meta: z.object({
    title: z.optional(z.string()),
    from: z.optional(z.string()),
    to: z.optional(z.string()),
    created: z.optional(z.string()),
    branch: z.optional(z.string()),
    session: z.optional(z.string()),
  }),
  score: z.number().check(z.minimum(0), z.maximum(100)),
  passed: z.boolean(),
  minScore: z.number(),
  errors: count,
  warnings: count,
  gaps: z.array(
    z.object({
      key: z.string(),
      id: z.enum(gapIds),
      severity: z.enum(['error', 'warning']),
      message: z.string(),
      line,
      cost: z.number(),
      fixLabel: z.optional(z.string()),
    }),
  ),
  files: z.array(
    z.object({
      path: z.string(),
      line,
      note: z.optional(z.string()),
      exists: z.boolean(),
      kind: z.optional(z.enum(['file', 'directory'])),
      problem: z.optional(z.enum(['absolute', 'outside-workspace', 'url'])),
      duplicate: z.boolean(),
    }),
  ),
  prompt: z.optional(z.object({ text, line, review: z.optional(z.string()) })),
  questions: z.array(z.object({ question: z.string(), answer: z.optional(z.string()), line })),
  language: z.enum(['en', 'ru']),
}) satisfies z.ZodMiniType<HandoffPanelModel>;

/** What the panel shows: a scored package, the one-line reason it cannot be read, or the first validation pending. */
export type HandoffPanelState =
  | { readonly status: 'loading'; readonly file: string }
  | { readonly status: 'error'; readonly file: string; readonly message: string; readonly line?: number }
  | { readonly status: 'ok'; readonly model: HandoffPanelModel };

export const panelStateSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('loading'), file: z.string() }),
  z.object({ status: z.literal('error'), file: z.string(), message: z.string(), line: z.optional(line) }),
  z.object({ status: z.literal('ok'), model: panelModelSchema }),
]) satisfies z.ZodMiniType<HandoffPanelState>;

/** Host → webview. `notice` is short feedback next to the controls ("Copied", "The package changed"). */
export type HandoffHostMessage =
  | { readonly type: 'state'; readonly state: HandoffPanelState }
  | { readonly type: 'notice'; readonly text: string; readonly kind: 'info' | 'error' };

export const hostMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('state'), state: panelStateSchema }),
  z.object({ type: z.literal('notice'), text: z.string(), kind: z.enum(['info', 'error']) }),
]) satisfies z.ZodMiniType<HandoffHostMessage>;

const name = z.string().check(z.minLength(1));

/** Webview → host. Fixes and files are named, never described: the host re-derives them from fresh text. */
export const webviewMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('goToLine'), line }),
  z.object({ type: z.literal('applyFix'), key: name }),
  z.object({ type: z.literal('openFile'), path: name }),
  z.object({ type: z.literal('copyPrompt') }),
  z.object({ type: z.literal('revalidate') }),
]);
export type HandoffWebviewMessage = z.infer<typeof webviewMessageSchema>;

/** What the webview keeps with `setState`, handed back to the serializer after a reload. */
export interface HandoffPersistedState {
  readonly uri: string;
  readonly state?: HandoffPanelState;
}
export const persistedStateSchema = z.object({ uri: name, state: z.optional(panelStateSchema) }) satisfies z.ZodMiniType<HandoffPersistedState>;
