import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { workspaceFeedback } from '../core/router/feedback';
import { readWorkspaceRoutingConfig, routeWithConfig } from '../core/router/routingConfig';
import { runTask } from '../core/router/runTask';
import { nodeFileSystem } from '../core/platform/fileSystem';
import { nodeFileAccess } from '../core/router/tools';
import { workspaceTools } from '../core/router/workspaceTools';
import { ToolError, registerTool } from './toolResult';
import type { McpWorkspace } from './workspace';

const MAX_PROMPT = 100_000;
const MAX_CONTEXT = 1024 * 1024;

const decision = {
  route: z.enum(['local', 'cloud']),
  score: z.number().describe('Probability the task needs the cloud model, 0..1'),
  threshold: z.number().describe('Score at or above which the task goes to the cloud'),
  band: z.enum(['confident', 'uncertain']).describe('uncertain: just below the threshold; goes local first with the strictest checks'),
  summary: z.string().describe('One line in plain terms, e.g. "Rust, unsafe pointer code, 48 lines → Claude"'),
  reasons: z.array(z.string()),
};
const COMMANDS = ['explain', 'refactor', 'tests', 'review', 'ask', 'commit'] as const;

export function registerRouter(server: McpServer, ws: McpWorkspace): void {
  registerTool(
    server,
    ws,
    'route_task',
    {
      title: 'Classify a task (local or cloud)',
      description:
        "Where llmgenie's router would send a task: the local Ollama model for routine work, Claude for complex " +
        'work, with the probability, the band and why. The task is read as the editor builds it (command, the ' +
        "user's instruction, the code), under the workspace's llmgenie.router.* settings. Classification only: no model is called.",
      inputSchema: {
        command: z.enum(COMMANDS).optional().describe('The editor command (omit for a free-form request)'),
        prompt: z.string().max(MAX_PROMPT).default('').describe("The user's instruction; may be empty for explain / tests / review / commit"),
        context: z.string().max(MAX_CONTEXT).nullish().describe('The code, file or diff the task is about'),
        language: z.string().max(64).nullish().describe('VS Code language id of the code, e.g. "rust"'),
        fileName: z.string().max(1000).nullish().describe('Workspace-relative file name of the code'),
      },
      outputSchema: decision,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ command, prompt, context, language, fileName }) => {
      if (!prompt.trim() && !context) throw new ToolError('give a prompt, a context, or both');
      const config = await readWorkspaceRoutingConfig(ws.fs, ws.root);
      const d = routeWithConfig({ prompt, command, context, language, fileName }, config);
      return { result: { route: d.route, score: d.score, threshold: d.threshold!, band: d.band!, summary: d.summary!, reasons: d.reasons } };
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
      // The server's one lessons index, the one the knowledge tools read; its snippets are masked.
      const tools = workspaceTools({ fs: ws.fs, root: ws.root, lessons: ws.lessonIndex.search });
      // The workspace's routing settings, as the editor applies them; the call's `route` wins over the mode.
      const config = await readWorkspaceRoutingConfig(ws.fs, ws.root);
      const settings = { ...deps.settings, mode: route ?? config.mode, overrides: config.overrides };
      const decide = (task: Parameters<typeof routeWithConfig>[0], mode: typeof settings.mode, overrides?: typeof config.overrides) =>
        routeWithConfig(task, { mode, overrides: overrides ?? {}, ...(config.threshold !== undefined ? { threshold: config.threshold } : {}) });
      // The workspace's routing feedback, as the editor and the CLI keep it: its learnt routes apply here too.
      const feedback = workspaceFeedback({ fs: ws.fs, root: ws.root, ...(ws.fs === nodeFileSystem ? { realpath: nodeFileAccess.realpath } : {}) });
      const r = await runTask({ prompt, ...(context !== undefined ? { context } : {}), command: 'ask' }, { ...deps, settings, tools, sink: ws.sink, decide, feedback }, { signal });
      if (r.error && !r.answer) throw new ToolError(r.error);
      const { conversation: _c, command: _cmd, files: _f, cloudCostUsd: _cc, routing: _g, localTokensIn: _li, localTokensOut: _lo, cloudTokensIn: _ci, cloudTokensOut: _co, extraCostUsd: _x, ...record } = r;
      return { result: { ...record }, event: null }; // runTask logs the `task` event itself
    },
  );
}
