import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { runChatTurn, type TurnRunner } from '../../core/chat/chatTurn';
import { chatTurnSchema, type ChatTurn } from '../../core/chat/thread';
import type { AnswerEvent } from '../../core/router/answerView';
import { PROVIDER_LABEL, metricsLine } from '../../core/router/taskSummary';
import * as z from 'zod/mini';
import type { RouterParts } from '../router/editorCommands';
import { editorContext } from './editorContext';

const PARTICIPANT_ID = 'llmgenie.chat';

/**
 * `@llmgenie` in the editor's own chat, where the editor has the chat API (VS Code; not Cursor, which has its own
 * chat): the same conversation core as the Chat view. The editor keeps the history; each answer carries its turn
 * in the result's metadata, so a follow-up sends the earlier turns exactly as they were answered.
 */
export function registerChatParticipant(parts: RouterParts): void {
  const chat = (vscode as { chat?: typeof vscode.chat }).chat;
  if (typeof chat?.createChatParticipant !== 'function') {
    parts.services.log.info('chat participant: this editor has no chat API; the llmgenie Chat view is the conversation');
    return;
  }
  const participant = chat.createChatParticipant(PARTICIPANT_ID, (request, context, stream, token) => answer(parts, request, context, stream, token));
  participant.iconPath = vscode.Uri.joinPath(parts.services.context.extensionUri, 'media', 'llmgenie.svg');
  parts.services.track(participant);
}

const metadataSchema = z.object({ llmgenie: chatTurnSchema });

async function answer(parts: RouterParts, request: vscode.ChatRequest, context: vscode.ChatContext, stream: vscode.ChatResponseStream, token: vscode.CancellationToken): Promise<vscode.ChatResult> {
  if (!vscode.workspace.isTrusted) {
    stream.markdown('Sending code to a model needs a trusted workspace. Trust this folder to use @llmgenie.');
    return {};
  }
  const turns: ChatTurn[] = context.history.flatMap((h) => {
    if (!(h instanceof vscode.ChatResponseTurn) || h.participant !== PARTICIPANT_ID) return [];
    const parsed = z.safeParse(metadataSchema, h.result.metadata);
    return parsed.success ? [parsed.data.llmgenie] : [];
  });
  const ctx = await referenceContext(request) ?? (vscode.window.activeTextEditor ? editorContext(vscode.window.activeTextEditor) : undefined);
  const { runtime } = parts;
  const config = runtime.config();
  const ac = new AbortController();
  token.onCancellationRequested(() => ac.abort());
  const run: TurnRunner = (input, opts) => runtime.run(input, config, opts);
  const models = { ollama: config.providers.ollamaModel ?? '', anthropic: config.providers.claudeModel ?? '' };
  const onEvent = (e: AnswerEvent): void => {
    if (e.kind === 'route') stream.progress(e.summary ?? (e.route === 'local' ? 'Answering with the local model' : 'Answering with Claude'));
    else if (e.kind === 'delta') stream.markdown(e.text);
    else if (e.kind === 'switch') stream.markdown(`\n\n---\n*${PROVIDER_LABEL[e.from]} answer set aside (${e.reason}); ${e.to === 'anthropic' ? 'Claude' : 'the local model'} answers:*\n\n`);
    else if (e.kind === 'notice' && e.level !== 'info') stream.markdown(`\n\n> ${e.message}\n\n`);
    else if (e.kind === 'notice' && /^Re-routed|^Back on/.test(e.message)) stream.markdown(`> ${e.message}\n\n`);
  };
  const turn = await runChatTurn(
    { thread: { turns }, id: randomUUID(), text: request.prompt, ...(ctx?.context ? { context: ctx.context, contextUri: ctx.uri } : {}), mode: config.router.mode, models },
    run,
    { signal: ac.signal, onStart: () => ctx?.context && stream.reference(vscode.Uri.parse(ctx.uri, true)), onEvent },
  );
  const m = turn.answer.metrics;
  if (m) stream.markdown(`\n\n---\n*${PROVIDER_LABEL[m.provider]} · ${m.model}${turn.answer.route?.summary ? ` · ${turn.answer.route.summary}` : ''} · ${metricsLine(m)}*`);
  return { metadata: { llmgenie: turn }, ...(m?.error && m.error !== 'cancelled' ? { errorDetails: { message: m.error } } : {}) };
}

/** `#file` / `#selection` references: a location is its range, a file the whole file. */
async function referenceContext(request: vscode.ChatRequest): Promise<ReturnType<typeof editorContext>> {
  for (const ref of request.references) {
    const v = ref.value;
    const uri = v instanceof vscode.Uri ? v : v instanceof vscode.Location ? v.uri : undefined;
    if (!uri) continue;
    const doc = await vscode.workspace.openTextDocument(uri);
    const range = v instanceof vscode.Location ? v.range : undefined;
    const selection = range ? new vscode.Selection(range.start, range.end) : new vscode.Selection(0, 0, 0, 0);
    return editorContext({ document: doc, selection } as vscode.TextEditor);
  }
  return undefined;
}
