import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { decideRoute } from '../core/router/classifier';
import { runTask } from '../core/router/runTask';
import { nodeFileSystem } from '../core/platform/fileSystem';
import { nodeFileAccess, readFileTool, searchLessonsTool } from '../core/router/tools';
import { ToolError, registerTool } from './toolResult';
import type { McpWorkspace } from './workspace';

const MAX_PROMPT = 100_000;
const MAX_CONTEXT = 1024 * 1024;

const decision = { route: z.enum(['local', 'cloud']), score: z.number().describe('Probability the task needs the cloud model, 0..1'), reasons: z.array(z.string()) };

export function registerRouter(server: McpServer, ws: McpWorkspace): void {
  registerTool(
    server,
    ws,
    'route_task',
    {
      title: 'Classify a task (local or cloud)',
      description:
        "Where llmgenie's router would send a task: the local Ollama model for routine work, Claude for complex " +
        'work, with the probability and the strongest reasons. Classification only: no model is called.',
      inputSchema: {
        prompt: z.string().min(1).max(MAX_PROMPT).describe('The task as the user would ask it'),
        context: z.string().max(MAX_CONTEXT).optional().describe('Code or text the task is about'),
      },
      outputSchema: decision,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ prompt, context }) => {
      const d = decideRoute({ prompt, ...(context !== undefined ? { context } : {}) }, 'auto');
      return { result: { route: d.route, score: d.score, reasons: d.reasons } };
    },
  );

  registerTool(
    server,
    ws,
    'ask',
    {
      title: 'Ask through the router',
      description:
        'Runs a task through the router: the local Ollama model or Claude by complexity (or `route` forced), a weak ' +
        'local answer escalated to Claude, secrets masked before anything goes to the cloud, tokens and cost recorded. ' +
        'The model may read workspace files and search the team lessons. Needs Ollama and/or ANTHROPIC_API_KEY.',
      inputSchema: {
        prompt: z.string().min(1).max(MAX_PROMPT).describe('The question or instruction'),
        context: z.string().max(MAX_CONTEXT).optional().describe('Code or text the task is about'),
        route: z.enum(['auto', 'local', 'cloud']).optional().describe('auto (default: the classifier decides), local or cloud (forced)'),
      },
      outputSchema: {
        answer: z.string(),
        ok: z.boolean().describe('Answered and the answer passed its checks'),
        route: z.enum(['local', 'cloud']),
        mode: z.enum(['auto', 'local', 'cloud']),
        reasons: z.array(z.string()),
        provider: z.enum(['ollama', 'anthropic']),
        model: z.string(),
        escalated: z.boolean(),
        escalationReason: z.string().optional(),
        tokensIn: z.number(),
        tokensOut: z.number(),
        costUsd: z.number(),
        ttftMs: z.number().optional(),
        totalMs: z.number(),
        notices: z.array(z.string()),
        redactedSecrets: z.number().describe('Secrets masked in what was sent to Claude'),
        qualityReasons: z.array(z.string()).optional(),
        error: z.string().optional(),
      },
      annotations: { readOnlyHint: true, openWorldHint: true },
    },
    async ({ prompt, context, route }, signal) => {
      const deps = ws.router();
      const tools = [
        // On a real disk the model may not follow a symlink out of the workspace (as `llmgenie mcp` decides for ws.path).
        readFileTool({ fs: ws.fs, root: ws.root, ...(ws.fs === nodeFileSystem ? nodeFileAccess : {}) }),
        searchLessonsTool(async (query, limit) =>
          (await ws.lessons()).searchText(query, { limit }).map((h) => ({ id: h.id, title: h.title, snippet: h.snippet, score: h.score })),
        ),
      ];
      const settings = { ...deps.settings, ...(route ? { mode: route } : {}) };
      const r = await runTask({ prompt, ...(context !== undefined ? { context } : {}), command: 'ask' }, { ...deps, settings, tools, sink: ws.sink }, { signal });
      if (r.error && !r.answer) throw new ToolError(r.error);
      const { conversation: _c, command: _cmd, files: _f, cloudCostUsd: _cc, ...record } = r;
      return { result: { ...record }, event: null }; // runTask logs the `task` event itself
    },
  );
}
