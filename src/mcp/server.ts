import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { registerAgents } from './agentsTools';
import { registerHandoff } from './handoffTools';
import { registerKnowledge } from './knowledgeTools';
import { registerPolicy } from './policyTools';
import { registerRouter } from './routerTools';
import { registerSessions } from './sessionTools';
import { McpWorkspace, type LlmgenieServerOptions } from './workspace';

export { McpWorkspace, type LlmgenieServerOptions } from './workspace';

const INSTRUCTIONS = `llmgenie knows this workspace's team rules, lessons, handoff packages, decision log and session logs.
- Before changing code, search_lessons for past mistakes in the area and list_rules / get_rule for conventions.
- check_policy a file, folder or snippet before proposing it (secrets, debug logging, team pattern rules).
- validate_handoff scores a handoff package; handoff_startup (prompt) gives its startup prompt.
- record_decision when a design choice is made; add_lesson when something went wrong and was fixed.
- agents_run starts coder → librarian → reviewer agents on one branch per task; agents_status follows the run.
All paths are relative to the workspace root and may not leave it. Secrets are masked in every result.`;

/** Keeps a hostile client from making the server walk a gigantic `arguments` object. */
const MAX_TOOL_INPUT_ELEMENTS = 10_000;

/**
 * One MCP server over the workspace. Pass a shared McpWorkspace when several sessions (HTTP clients) should share
 * the lessons index and providers; pass options for a single-session server (stdio, tests).
 */
export function createLlmgenieServer(source: LlmgenieServerOptions | McpWorkspace): McpServer {
  const ws = source instanceof McpWorkspace ? source : new McpWorkspace(source);
  const server = new McpServer(
    { name: 'llmgenie', title: 'llmgenie', version: ws.version },
    { capabilities: { logging: {} }, instructions: INSTRUCTIONS, maxToolInputElements: MAX_TOOL_INPUT_ELEMENTS },
  );
  registerHandoff(server, ws);
  registerKnowledge(server, ws);
  registerPolicy(server, ws);
  registerRouter(server, ws);
  registerSessions(server, ws);
  registerAgents(server, ws);
  return server;
}
