// zod/mini, imported as a namespace: the webview bundles this file and esbuild can then keep only what is used.
import * as z from 'zod/mini';
import { chatTurnSchema, chipSchema, threadIdSchema } from '../../core/chat/thread';
import { answerEventSchema } from '../results/protocol';

/** The chat view's id (package.json `views`); its title-bar commands key off it. */
export const CHAT_VIEW_ID = 'llmgenie.chat';

const line = z.string().check(z.maxLength(4000));
const when = z.number();
const provider = z.enum(['ollama', 'anthropic']);
const block = z.int().check(z.nonnegative(), z.maximum(10_000));

const summarySchema = z.object({ id: threadIdSchema, title: line, createdAt: when, updatedAt: when, turns: z.int().check(z.nonnegative()) });

/** What the view draws: the open thread (none before the first question), recent threads, the editor's context. */
export const chatStateSchema = z.object({
  thread: z.nullable(z.object({ id: threadIdSchema, title: line, turns: z.array(chatTurnSchema).check(z.maxLength(500)) })),
  threads: z.array(summarySchema).check(z.maxLength(200)),
  /** What the next question carries from the editor (the selection, or the file); null without an editor. */
  context: z.nullable(chipSchema),
  /** The turn streaming now, if any. */
  running: z.nullable(threadIdSchema),
  /** One line when conversations cannot be kept (no folder open): the view still answers. */
  problem: z.optional(line),
});
export type ChatState = z.infer<typeof chatStateSchema>;

/** Host → webview. `state` replaces everything; `turn` adds or replaces one turn; `event` streams into one. */
export const hostMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('state'), state: chatStateSchema }),
  z.object({ type: z.literal('turn'), threadId: threadIdSchema, turn: chatTurnSchema }),
  z.object({ type: z.literal('event'), threadId: threadIdSchema, turnId: threadIdSchema, event: answerEventSchema }),
  z.object({ type: z.literal('context'), context: z.nullable(chipSchema) }),
  z.object({ type: z.literal('flash'), text: line, kind: z.enum(['info', 'error']) }),
  /** Only after the user opened the view themselves (a command): never on load, so it never steals focus. */
  z.object({ type: z.literal('focusInput') }),
]);
export type ChatHostMessage = z.infer<typeof hostMessageSchema>;

/** Webview → host. Code blocks and chips are named by index; the host uses its own copy of the turn. */
export const webviewMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({ type: z.literal('send'), text: z.string().check(z.minLength(1), z.maxLength(100_000)), withContext: z.boolean() }),
  z.object({ type: z.literal('stop'), turnId: threadIdSchema }),
  z.object({ type: z.literal('rerun'), turnId: threadIdSchema, target: provider }),
  z.object({ type: z.literal('copy'), turnId: threadIdSchema, block }),
  z.object({ type: z.literal('insert'), turnId: threadIdSchema, block }),
  z.object({ type: z.literal('openChip'), turnId: threadIdSchema, index: block }),
  z.object({ type: z.literal('openThread'), id: threadIdSchema }),
  z.object({ type: z.literal('openLink'), href: line }),
]);
export type ChatWebviewMessage = z.infer<typeof webviewMessageSchema>;

/** What the page keeps across hide/show and reloads: the half-typed question. */
export const persistedStateSchema = z.object({ draft: z.string().check(z.maxLength(100_000)) });
export type ChatPersistedState = z.infer<typeof persistedStateSchema>;
