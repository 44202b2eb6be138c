import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { LESSON_KINDS, type Lesson } from '../core/lessons/lesson';
import { maskedSnippet } from '../core/lessons/maskedSnippet';
import { loadRules, type RegisteredRule } from '../core/rules/registry';
import { decodeVar, RESOURCE_NOT_FOUND, workspaceRelative } from './paths';
import { redactText } from './redact';
import { ToolError, registerTool } from './toolResult';
import type { McpWorkspace } from './workspace';

export const RULES_URI = 'llmgenie://rules/';
export const LESSONS_URI = 'llmgenie://lessons/';

const ruleSummary = z.object({
  id: z.string(),
  file: z.string().describe('Workspace-relative rule file'),
  uri: z.string(),
  name: z.string().optional().describe('From rules_manifest.json'),
  kind: z.string().optional(),
  severity: z.string().optional(),
  description: z.string().optional(),
  globs: z.array(z.string()),
  alwaysApply: z.boolean(),
  registered: z.boolean().describe('Listed in rules_manifest.json'),
});

function summary(r: RegisteredRule) {
  return {
    id: r.id,
    file: r.relPath,
    uri: `${RULES_URI}${encodeURIComponent(r.id)}`,
    ...(r.entry ? { name: r.entry.name, kind: r.entry.kind, severity: r.entry.severity } : {}),
    ...(r.entry?.description ?? r.rule.description ? { description: r.entry?.description ?? r.rule.description } : {}),
    globs: r.rule.globs,
    alwaysApply: r.rule.alwaysApply,
    registered: r.entry !== undefined,
  };
}

async function findRule(ws: McpWorkspace, id: string): Promise<RegisteredRule> {
  const { rules } = await loadRules(ws.fs, ws.root);
  const rule = rules.find((r) => r.id === id) ?? rules.find((r) => r.id.toLowerCase() === id.toLowerCase());
  if (!rule) {
    const known = rules.slice(0, 20).map((r) => r.id).join(', ');
    throw new ToolError(`no rule "${id}"${known ? ` (known: ${known}${rules.length > 20 ? ', ...' : ''})` : ' (the workspace has no rules)'}`);
  }
  return rule;
}

function lessonMarkdown(l: Lesson, root: string): string {
  const meta = [`- id: ${l.id}`, `- kind: ${l.kind}`];
  if (l.tags.length) meta.push(`- tags: ${l.tags.join(', ')}`);
  if (l.created) meta.push(`- created: ${l.created}`);
  if (l.source) meta.push(`- source: ${l.source}`);
  if (l.rule) meta.push(`- rule: ${l.rule}`);
  if (l.globs.length) meta.push(`- files: ${l.globs.join(', ')}`);
  meta.push(`- file: ${workspaceRelative(root, l.path)}${l.line > 1 ? `:${l.line}` : ''}`);
  return `# ${l.title}\n\n${meta.join('\n')}\n\n${l.body.trim()}\n`;
}

export function registerKnowledge(server: McpServer, ws: McpWorkspace): void {
  registerTool(
    server,
    ws,
    'search_lessons',
    {
      title: 'Search team lessons',
      description:
        "Full-text search (English and Russian, typo-tolerant) of the team's lessons: past mistakes, conventions and " +
        'fixes from docs/lessons and lessons_learned*.md. Returns the best matches with a snippet each.',
      inputSchema: {
        query: z.string().trim().min(1).max(1000).describe('What to look for, in words'),
        limit: z.number().int().min(1).max(50).optional().describe('Maximum results (default 10)'),
      },
      outputSchema: {
        query: z.string(),
        total: z.number().describe('Lessons in the knowledge base'),
        hits: z.array(
          z.object({ id: z.string(), title: z.string(), kind: z.string(), tags: z.array(z.string()), score: z.number(), file: z.string(), line: z.number(), snippet: z.string(), uri: z.string() }),
        ),
        problems: z
          .array(z.object({ file: z.string(), line: z.number(), message: z.string() }))
          .optional()
          .describe('Lesson files that could not be fully read (first 20), with the line to fix: their lessons may be missing from the hits'),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ query, limit }) => {
      const store = await ws.lessons();
      const hits = store.searchText(query, { limit: limit ?? 10 }).map((h) => ({
        id: h.id,
        title: h.title,
        kind: h.kind,
        tags: [...h.tags],
        score: Math.round(h.score * 1000) / 1000,
        file: workspaceRelative(ws.root, h.path),
        line: h.line,
        snippet: maskedSnippet(h, store.get(h.id)),
        uri: `${LESSONS_URI}${encodeURIComponent(h.id)}`,
      }));
      // A broken lesson file is said in words with its file and line, so the agent can fix it or tell the person.
      const problems = store.problems().slice(0, 20).map((p) => ({ file: workspaceRelative(ws.root, p.file), line: p.line, message: p.message }));
      return { result: { query, total: store.size, hits, ...(problems.length ? { problems } : {}) } };
    },
  );

  registerTool(
    server,
    ws,
    'add_lesson',
    {
      title: 'Add a lesson',
      description:
        'Saves a lesson (a mistake and its fix, a convention, an anti-pattern) as docs/lessons/<date>-<slug>.md so the ' +
        'team and later agents find it with search_lessons.',
      inputSchema: {
        title: z.string().trim().min(1).max(300).describe('One line: what to remember'),
        body: z.string().max(100_000).describe('Markdown: what happened, why, and what to do instead'),
        tags: z.array(z.string().max(60)).max(30).optional().describe('Tags, e.g. ["caching", "ollama"]'),
        kind: z.enum(LESSON_KINDS).optional().describe('lesson (default), best-practice or anti-pattern'),
      },
      outputSchema: { id: z.string(), title: z.string(), kind: z.string(), tags: z.array(z.string()), file: z.string(), uri: z.string() },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    async ({ title, body, tags, kind }) => {
      const store = await ws.lessons();
      const lesson = await store.add({ title, body, ...(tags ? { tags } : {}), ...(kind ? { kind } : {}) });
      return {
        result: {
          id: lesson.id,
          title: lesson.title,
          kind: lesson.kind,
          tags: [...lesson.tags],
          file: workspaceRelative(ws.root, lesson.path),
          uri: `${LESSONS_URI}${encodeURIComponent(lesson.id)}`,
        },
        event: null, // the store logs the `lesson` event itself
      };
    },
  );

  registerTool(
    server,
    ws,
    'list_rules',
    {
      title: 'List team rules',
      description:
        "The team's rules: .cursor/rules/*.mdc (and a legacy .cursorrules) joined with their rules_manifest.json " +
        'registration, plus the problems `llmgenie rules lint` would report.',
      inputSchema: {},
      outputSchema: {
        rules: z.array(ruleSummary),
        manifest: z.string().optional().describe('Workspace-relative rules_manifest.json, when there is one'),
        problems: z.array(z.object({ file: z.string(), line: z.number(), severity: z.string(), code: z.string(), message: z.string() })).describe('First 50'),
        problemCount: z.number(),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async () => {
      const r = await loadRules(ws.fs, ws.root);
      return {
        result: {
          rules: r.rules.map(summary),
          ...(r.manifestFile ? { manifest: workspaceRelative(ws.root, r.manifestFile) } : {}),
          problems: r.problems.slice(0, 50).map((p) => ({ file: workspaceRelative(ws.root, p.file), line: p.line + 1, severity: p.severity, code: p.code, message: p.message })),
          problemCount: r.problems.length,
        },
      };
    },
  );

  registerTool(
    server,
    ws,
    'get_rule',
    {
      title: 'Get a team rule',
      description: 'One rule by id (as list_rules shows it): its registration, globs, enforce block and full text.',
      inputSchema: { id: z.string().trim().min(1).max(200).describe('Rule id, e.g. "400"') },
      outputSchema: { ...ruleSummary.shape, enforce: z.record(z.string(), z.unknown()).optional(), body: z.string() },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ id }) => {
      const rule = await findRule(ws, id);
      const enforce = rule.entry?.enforce ?? rule.rule.enforce;
      return { result: { ...summary(rule), ...(enforce ? { enforce: { ...enforce } } : {}), body: rule.rule.body } };
    },
  );

  server.registerResource(
    'rule',
    new ResourceTemplate(`${RULES_URI}{id}`, {
      list: async () => {
        const { rules } = await loadRules(ws.fs, ws.root);
        return {
          resources: rules.map((r) => ({
            uri: `${RULES_URI}${encodeURIComponent(r.id)}`,
            name: r.id,
            title: r.entry?.name ?? r.rule.description ?? r.relPath,
            description: r.relPath,
            mimeType: 'text/markdown',
          })),
        };
      },
      complete: { id: async (value) => (await loadRules(ws.fs, ws.root)).rules.map((r) => r.id).filter((i) => i.startsWith(value)).slice(0, 100) },
    }),
    { title: 'Team rules', description: 'The text of each rule file (.mdc with its front matter)', mimeType: 'text/markdown' },
    async (uri, vars) => {
      const id = decodeVar(vars.id);
      let rule;
      try {
        rule = await findRule(ws, id);
      } catch (e) {
        throw new McpError(RESOURCE_NOT_FOUND, (e as Error).message);
      }
      const text = await ws.fs.readText(rule.file);
      return { contents: [{ uri: uri.href, mimeType: 'text/markdown', text: redactText(text) }] };
    },
  );

  server.registerResource(
    'lesson',
    new ResourceTemplate(`${LESSONS_URI}{id}`, {
      list: async () => {
        const store = await ws.lessons();
        return {
          resources: store.list().map((l) => ({
            uri: `${LESSONS_URI}${encodeURIComponent(l.id)}`,
            name: l.id,
            title: l.title,
            description: [l.kind, ...l.tags.map((t) => `#${t}`)].join(' '),
            mimeType: 'text/markdown',
          })),
        };
      },
      complete: { id: async (value) => (await ws.lessons()).list().map((l) => l.id).filter((i) => i.startsWith(value)).slice(0, 100) },
    }),
    { title: 'Team lessons', description: 'Each lesson as markdown: title, metadata and body', mimeType: 'text/markdown' },
    async (uri, vars) => {
      const id = decodeVar(vars.id);
      const lesson = (await ws.lessons()).get(id);
      if (!lesson) throw new McpError(RESOURCE_NOT_FOUND, `no lesson "${id}"`);
      return { contents: [{ uri: uri.href, mimeType: 'text/markdown', text: redactText(lessonMarkdown(lesson, ws.root)) }] };
    },
  );
}
