import { McpError, ErrorCode } from '@modelcontextprotocol/sdk/types.js';
import { completable } from '@modelcontextprotocol/sdk/server/completable.js';
import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { createHandoffDraft, HandoffCreateError } from '../core/handoff/create';
import { HandoffReadError } from '../core/handoff/errors';
import { parseHandoff } from '../core/handoff/parse';
import { HANDOFF_FILE, MAX_HANDOFF_BYTES, readHandoffFile, validateHandoffPath } from '../core/handoff/read';
import { handoffReportJson, validateHandoffText } from '../core/handoff/validate';
import { assertPlainName, decodeVar, RESOURCE_NOT_FOUND, workspaceRelative } from './paths';
import { redactText } from './redact';
import { ToolError, registerTool } from './toolResult';
import type { McpWorkspace } from './workspace';

export const HANDOFF_URI = 'llmgenie://handoff/';

const gap = z.object({ id: z.string(), severity: z.enum(['error', 'warning']), message: z.string(), line: z.number().optional(), cost: z.number() });
const fileCheck = z.object({ path: z.string(), line: z.number(), exists: z.boolean(), duplicate: z.boolean(), note: z.string().optional() });
const report = {
  file: z.string().optional().describe('The HANDOFF.md validated, workspace-relative (absent for text)'),
  score: z.number().describe('0..100'),
  passed: z.boolean().describe('No error-level gaps and score >= minScore'),
  minScore: z.number(),
  gaps: z.array(gap).describe('What costs points, worst first; each with the line and points it cost'),
  files: z.array(fileCheck).describe('Every listed file and whether it exists'),
};

/** A read failure names the path as the client wrote it, not the absolute path it became. */
function readError(e: unknown, abs: string, given: string): never {
  if (e instanceof HandoffReadError) throw new ToolError(e.message.split(abs).join(given));
  throw e;
}

async function packageNames(ws: McpWorkspace): Promise<{ dir: string; names: string[] }> {
  const dir = (await ws.handoffConfig()).directory.replace(/^\.?\/+|\/+$/g, '');
  let entries;
  try {
    entries = await ws.fs.readDir(`${ws.root}/${dir}`);
  } catch {
    return { dir, names: [] };
  }
  const names: string[] = [];
  for (const e of entries) {
    if (e.kind !== 'directory') continue;
    const inner = await ws.fs.readDir(`${ws.root}/${dir}/${e.name}`).catch(() => []);
    if (inner.some((f) => f.kind === 'file' && f.name.toLowerCase() === HANDOFF_FILE.toLowerCase())) names.push(e.name);
  }
  return { dir, names: names.sort() };
}

export function registerHandoff(server: McpServer, ws: McpWorkspace): void {
  registerTool(
    server,
    ws,
    'validate_handoff',
    {
      title: 'Validate a handoff package',
      description:
        'Scores a handoff package (0-100) and lists its gaps: missing startup prompt, listed files that do not exist, ' +
        'unanswered control questions, empty sections. Give `path` (the package folder or its HANDOFF.md, relative to ' +
        'the workspace root) or `text` (HANDOFF.md content; listed files are checked against the workspace).',
      inputSchema: {
        path: z.string().min(1).max(4096).optional().describe('Package folder or HANDOFF.md, workspace-relative'),
        text: z.string().max(MAX_HANDOFF_BYTES).optional().describe('HANDOFF.md content, instead of path'),
      },
      outputSchema: report,
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ path, text }) => {
      if ((path === undefined) === (text === undefined)) throw new ToolError('give either "path" (a package folder or its HANDOFF.md) or "text", not both');
      const config = await ws.handoffConfig();
      let result;
      if (path !== undefined) {
        const abs = await ws.path(path);
        const r = await validateHandoffPath(ws.fs, ws.root, abs, { config }).catch((e) => readError(e, abs, path));
        result = handoffReportJson(r, workspaceRelative(ws.root, r.file));
      } else {
        const r = await validateHandoffText(text!, { fs: ws.fs, root: ws.root, config });
        result = handoffReportJson(r);
      }
      const event = { path: result.file ?? '(text)', score: result.score, passed: result.passed, gaps: result.gaps.length, action: 'validate' as const };
      return { result: { ...result }, event: { type: 'handoff', payload: event } };
    },
  );

  registerTool(
    server,
    ws,
    'create_handoff',
    {
      title: 'Draft a handoff package',
      description:
        'Writes <handoff directory>/<name>/HANDOFF.md (default docs/handoff/<date>-<branch>/) from the files git reports ' +
        'as changed plus the given files and control questions, then validates it. No model is called: unknown parts ' +
        'are TODO placeholders to fill in. Refuses to overwrite an existing package.',
      inputSchema: {
        name: z.string().max(120).optional().describe('Folder name: letters, digits, ".", "_", "-" (default <date>-<branch>)'),
        title: z.string().max(300).optional().describe('Package title (default: the branch name)'),
        files: z.array(z.string().min(1).max(4096)).max(500).optional().describe('Extra workspace-relative files to list'),
        questions: z.array(z.string().min(1).max(2000)).max(50).optional().describe('Control questions, "question — expected answer"'),
      },
      outputSchema: { ...report, file: z.string(), uri: z.string(), text: z.string().describe('The HANDOFF.md written'), note: z.string().optional().describe('Why no git changes were collected, when none were') },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    async ({ name, title, files, questions }) => {
      if (name !== undefined) assertPlainName(name, 'name');
      const config = await ws.handoffConfig();
      const extra: string[] = [];
      for (const f of files ?? []) extra.push(workspaceRelative(ws.root, await ws.path(f, 'file')));
      let created;
      try {
        created = await createHandoffDraft({
          fs: ws.fs,
          root: ws.root,
          config,
          git: ws.git,
          now: ws.clock.now(),
          ...(name !== undefined ? { name } : {}),
          ...(title !== undefined ? { title } : {}),
          files: extra,
          questions: questions ?? [],
          resolveDir: (relDir) => ws.path(relDir, 'handoff directory'),
        });
      } catch (e) {
        if (e instanceof HandoffCreateError && e.code === 'exists') {
          throw new ToolError(`${workspaceRelative(ws.root, e.file!)} already exists; validate it, or choose another name`);
        }
        if (e instanceof HandoffCreateError) throw new ToolError(e.message);
        throw e;
      }
      const { changes, text, name: pkg } = created;
      const rel = workspaceRelative(ws.root, created.file);
      const r = handoffReportJson(created.report, rel);
      const event = { path: rel, score: r.score, passed: r.passed, gaps: r.gaps.length, action: 'create' as const };
      return {
        result: { ...r, file: rel, uri: `${HANDOFF_URI}${encodeURIComponent(pkg)}`, text, ...(changes.available ? {} : { note: `no git changes collected (${changes.error ?? 'not a git work tree'})` }) },
        event: { type: 'handoff', payload: event },
      };
    },
  );

  server.registerResource(
    'handoff',
    new ResourceTemplate(`${HANDOFF_URI}{name}`, {
      list: async () => {
        const { dir, names } = await packageNames(ws);
        return {
          resources: names.map((n) => ({
            uri: `${HANDOFF_URI}${encodeURIComponent(n)}`,
            name: n,
            title: `Handoff package ${n}`,
            description: `${dir}/${n}/${HANDOFF_FILE}`,
            mimeType: 'text/markdown',
          })),
        };
      },
      complete: { name: async (value) => (await packageNames(ws)).names.filter((n) => n.startsWith(value)).slice(0, 100) },
    }),
    { title: 'Handoff packages', description: 'HANDOFF.md of each package in the handoff directory (default docs/handoff)', mimeType: 'text/markdown' },
    async (uri, vars) => {
      const name = decodeVar(vars.name);
      try {
        assertPlainName(name, 'handoff package name');
        const { dir } = await packageNames(ws);
        const { text } = await readHandoffFile(ws.fs, ws.root, await ws.path(`${dir}/${name}`));
        return { contents: [{ uri: uri.href, mimeType: 'text/markdown', text: redactText(text) }] };
      } catch (e) {
        throw new McpError(RESOURCE_NOT_FOUND, `no handoff package "${name}": ${(e as Error).message}`);
      }
    },
  );

  server.registerPrompt(
    'handoff_startup',
    {
      title: 'Start from a handoff package',
      description: 'The startup prompt of a handoff package: the first message for whoever picks the work up.',
      argsSchema: {
        path: completable(z.string().describe('Package folder or HANDOFF.md, workspace-relative'), async (value) => {
          const { dir, names } = await packageNames(ws).catch(() => ({ dir: '', names: [] as string[] }));
          return names.map((n) => `${dir}/${n}`).filter((p) => p.startsWith(value ?? '')).slice(0, 100);
        }),
      },
    },
    async ({ path }) => {
      let doc;
      try {
        const abs = await ws.path(path);
        const { text } = await readHandoffFile(ws.fs, ws.root, abs).catch((e) => readError(e, abs, path));
        doc = parseHandoff(text);
      } catch (e) {
        throw new McpError(ErrorCode.InvalidParams, (e as Error).message);
      }
      if (!doc.prompt?.text.trim()) throw new McpError(ErrorCode.InvalidParams, `${path} has no startup prompt (a "## Startup prompt" section)`);
      const title = doc.meta.title ?? doc.title;
      return {
        ...(title ? { description: redactText(title) } : {}),
        messages: [{ role: 'user', content: { type: 'text', text: redactText(doc.prompt.text) } }],
      };
    },
  );
}
