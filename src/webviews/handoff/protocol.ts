import { z } from 'zod';
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

const line = z.number().int().min(1);
const text = z.string().max(200_000);

export const panelModelSchema = z.object({
  file: z.string(),
  title: z.string(),
  meta: z.object({
    title: z.string().optional(),
    from: z.string().optional(),
    to: z.string().optional(),
    created: z.string().optional(),
    branch: z.string().optional(),
    session: z.string().optional(),
  }),
  score: z.number().min(0).max(100),
  passed: z.boolean(),
  minScore: z.number(),
  errors: z.number().int().min(0),
  warnings: z.number().int().min(0),
  gaps: z.array(
    z.object({
      key: z.string(),
      id: z.enum(gapIds),
      severity: z.enum(['error', 'warning']),
      message: z.string(),
      line,
      cost: z.number(),
      fixLabel: z.string().optional(),
    }),
  ),
  files: z.array(
    z.object({
      path: z.string(),
      line,
      note: z.string().optional(),
      exists: z.boolean(),
      kind: z.enum(['file', 'directory']).optional(),
      problem: z.enum(['absolute', 'outside-workspace', 'url']).optional(),
      duplicate: z.boolean(),
    }),
  ),
  prompt: z.object({ text, line, review: z.string().optional() }).optional(),
  questions: z.array(z.object({ question: z.string(), answer: z.string().optional(), line })),
  language: z.enum(['en', 'ru']),
}) satisfies z.ZodType<HandoffPanelModel>;

/** What the panel shows: a scored package, the one-line reason it cannot be read, or the first validation pending. */
export type HandoffPanelState =
  | { readonly status: 'loading'; readonly file: string }
  | { readonly status: 'error'; readonly file: string; readonly message: string; readonly line?: number }
  | { readonly status: 'ok'; readonly model: HandoffPanelModel };

export const panelStateSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('loading'), file: z.string() }),
  z.object({ status: z.literal('error'), file: z.string(), message: z.string(), line: line.optional() }),
  z.object({ status: z.literal('ok'), model: panelModelSchema }),
]) satisfies z.ZodType<HandoffPanelState>;

/** Host → webview. `notice` is short feedback next to the controls ("Copied", "The package changed"). */
export type HandoffHostMessage =
  | { readonly type: 'state'; readonly state: HandoffPanelState }
  | { readonly type: 'notice'; readonly text: string; readonly kind: 'info' | 'error' };

export const hostMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('state'), state: panelStateSchema }),
  z.object({ type: z.literal('notice'), text: z.string(), kind: z.enum(['info', 'error']) }),
]) satisfies z.ZodType<HandoffHostMessage>;

/** Webview → host. Fixes and files are named, never described: the host re-derives them from fresh text. */
export const webviewMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('goToLine'), line }),
  z.object({ type: z.literal('applyFix'), key: z.string().min(1) }),
  z.object({ type: z.literal('openFile'), path: z.string().min(1) }),
  z.object({ type: z.literal('copyPrompt') }),
  z.object({ type: z.literal('revalidate') }),
]);
export type HandoffWebviewMessage = z.infer<typeof webviewMessageSchema>;

/** What the webview keeps with `setState`, handed back to the serializer after a reload. */
export interface HandoffPersistedState {
  readonly uri: string;
  readonly state?: HandoffPanelState;
}
export const persistedStateSchema = z.object({ uri: z.string().min(1), state: panelStateSchema.optional() }) satisfies z.ZodType<HandoffPersistedState>;
