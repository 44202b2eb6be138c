import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { recordDecision, resolveDecisionLog } from '../core/sessions/decisionLog';
import { listNewestSessions } from '../core/sessions/read';
import { workspaceRelative } from './paths';
import { redactText } from './redact';
import { errorMessage, registerTool } from './toolResult';
import type { McpWorkspace } from './workspace';

export const DECISION_LOG_URI = 'llmgenie://decision-log';

export function registerSessions(server: McpServer, ws: McpWorkspace): void {
  registerTool(
    server,
    ws,
    'record_decision',
    {
      title: 'Record a decision',
      description:
        'Appends an entry (date, context, decision, consequences, link to this session) to the decision log ' +
        '(docs/decision-log.md or the llmgenie.decisionLog.path setting). Secrets are masked before writing.',
      inputSchema: {
        title: z.string().trim().min(1).max(300).describe('Short name of the decision'),
        decision: z.string().trim().min(1).max(20_000).describe('What was decided'),
        context: z.string().max(20_000).optional().describe('Why it came up: the problem and the constraints'),
        consequences: z.string().max(20_000).optional().describe('What follows: trade-offs, follow-up work'),
      },
      outputSchema: {
        title: z.string(),
        date: z.string().optional(),
        file: z.string().describe('The decision log, workspace-relative'),
        line: z.number().describe("1-based line of the entry's heading"),
        session: z.string().optional().describe('Session file and event the entry links to'),
        sinkError: z.string().optional(),
      },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    async ({ title, decision, context, consequences }) => {
      const settings = await ws.sessionSettings();
      const r = await recordDecision(
        ws.fs,
        ws.clock,
        { root: ws.root, path: settings.decisionLog, sink: ws.sink },
        { title, decision, context: context ?? '', ...(consequences ? { consequences } : {}) },
      );
      const ref = r.entry.sessionRef;
      return {
        result: {
          title: r.entry.title,
          ...(r.entry.date ? { date: r.entry.date } : {}),
          file: workspaceRelative(ws.root, r.path),
          line: r.entry.line,
          ...(ref ? { session: `${ref.path}${ref.eventId ? `#${ref.eventId}` : ''}` } : {}),
          ...(r.sinkError ? { sinkError: r.sinkError } : {}),
        },
        event: null, // recordDecision appends the `decision` event itself
      };
    },
  );

  registerTool(
    server,
    ws,
    'list_sessions',
    {
      title: 'List session logs',
      description:
        "This workspace's session logs (editor, CLI and MCP runs), newest first: when, which host, how many events, " +
        'routed tasks and their cost.',
      inputSchema: { limit: z.number().int().min(1).max(500).optional().describe('Newest N sessions (default 20)') },
      outputSchema: {
        total: z.number(),
        sessions: z.array(
          z.object({
            id: z.string(),
            start: z.string(),
            end: z.string(),
            host: z.string().optional(),
            files: z.array(z.string()),
            bytes: z.number(),
            eventCount: z.number(),
            taskCount: z.number(),
            costUsd: z.number(),
            types: z.array(z.string()),
            warnings: z.number(),
          }),
        ),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ limit }) => {
      const settings = await ws.sessionSettings();
      const newest = await listNewestSessions(ws.fs, ws.root, settings.dir, limit ?? 20);
      const sessions = newest.sessions.map((s) => ({ ...s, files: s.files.map((f) => workspaceRelative(ws.root, f)) }));
      return { result: { total: newest.total, sessions } };
    },
  );

  server.registerResource(
    'decision-log',
    DECISION_LOG_URI,
    { title: 'Decision log', description: 'The project decision log (markdown), oldest entry first', mimeType: 'text/markdown' },
    async (uri) => {
      const settings = await ws.sessionSettings();
      let file: string;
      try {
        file = await resolveDecisionLog(ws.fs, ws.root, settings.decisionLog);
      } catch (e) {
        // Only the confined log is ever read: a setting naming ~/.ssh/id_rsa gets this refusal, not the file.
        throw new McpError(ErrorCode.InvalidRequest, errorMessage(e));
      }
      let text: string;
      try {
        text = await ws.fs.readText(file);
      } catch {
        text = '# Decision log\n\nNo decisions recorded yet (record_decision, or `llmgenie decision record`).\n';
      }
      return { contents: [{ uri: uri.href, mimeType: 'text/markdown', text: redactText(text) }] };
    },
  );
}
