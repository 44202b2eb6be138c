import { z } from 'zod';
import type { Tool as OllamaTool } from 'ollama';
import type { Tool as AnthropicTool } from '@anthropic-ai/sdk/resources/messages/messages';
import type { FileSystem } from '../platform/fileSystem';
import type { ToolCall } from './conversation';

/** One tool, defined once with a zod input schema and converted to each provider's format. */
export interface ToolDefinition<S extends z.ZodObject = z.ZodObject> {
  readonly name: string;
  readonly description: string;
  readonly input: S;
  run(input: z.infer<S>, signal?: AbortSignal): Promise<string>;
}

export function defineTool<S extends z.ZodObject>(def: ToolDefinition<S>): ToolDefinition<S> {
  return def;
}

function jsonSchema(def: ToolDefinition): Record<string, unknown> {
  const { $schema: _ignored, ...schema } = z.toJSONSchema(def.input, { io: 'input' }) as Record<string, unknown>;
  return schema;
}

export function toOllamaTools(tools: readonly ToolDefinition[]): OllamaTool[] {
  return tools.map((t) => ({
    type: 'function',
    function: { name: t.name, description: t.description, parameters: jsonSchema(t) as OllamaTool['function']['parameters'] },
  }));
}

export function toAnthropicTools(tools: readonly ToolDefinition[]): AnthropicTool[] {
  return tools.map((t) => ({
    name: t.name,
    description: t.description,
    input_schema: jsonSchema(t) as AnthropicTool['input_schema'],
  }));
}

export interface ToolOutcome {
  content: string;
  isError: boolean;
}

/** Runs one call: unknown tool, invalid input and thrown errors come back as error results the model can read. */
export async function runToolCall(
  tools: readonly ToolDefinition[],
  call: ToolCall,
  signal?: AbortSignal,
): Promise<ToolOutcome> {
  const tool = tools.find((t) => t.name === call.name);
  if (!tool) return { content: `unknown tool "${call.name}"; available: ${tools.map((t) => t.name).join(', ')}`, isError: true };
  const parsed = tool.input.safeParse(call.input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { content: `invalid input for ${tool.name}: ${issue?.path.join('.') || 'input'}: ${issue?.message}`, isError: true };
  }
  try {
    return { content: await tool.run(parsed.data, signal), isError: false };
  } catch (e) {
    return { content: (e as Error).message || String(e), isError: true };
  }
}

// ---- read_file ------------------------------------------------------------------------------------------------

const ReadFileInput = z.object({
  path: z.string().min(1).describe('File path relative to the workspace root, e.g. "src/index.ts"'),
});

export interface ReadFileToolOptions {
  fs: FileSystem;
  /** Absolute, '/'-separated workspace root. */
  root: string;
  /** Larger files are cut at this many characters with a marker (default 64 KiB). */
  maxChars?: number;
}

/**
 * Resolves a workspace-relative path, or undefined when it is absolute or climbs out of the root. Lexical only:
 * the FileSystem interface has no realpath, so a symlink inside the workspace can still point outside it.
 */
export function resolveInWorkspace(root: string, relPath: string): string | undefined {
  const p = relPath.replace(/\\/g, '/');
  if (p.startsWith('/') || /^[a-zA-Z]:/.test(p) || p.includes('\0')) return undefined;
  const parts: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') {
      if (!parts.length) return undefined;
      parts.pop();
    } else parts.push(seg);
  }
  if (!parts.length) return undefined;
  return `${root.replace(/\/+$/, '')}/${parts.join('/')}`;
}

export function readFileTool(opts: ReadFileToolOptions): ToolDefinition<typeof ReadFileInput> {
  const maxChars = opts.maxChars ?? 64 * 1024;
  return defineTool({
    name: 'read_file',
    description: 'Read a text file from the current workspace. Paths are relative to the workspace root.',
    input: ReadFileInput,
    async run({ path }) {
      const abs = resolveInWorkspace(opts.root, path);
      if (!abs) throw new Error(`refused: "${path}" is not a path inside the workspace`);
      const stat = await opts.fs.stat(abs);
      if (!stat) throw new Error(`no such file: ${path}`);
      if (stat.kind !== 'file') throw new Error(`${path} is a directory`);
      const text = await opts.fs.readText(abs);
      if (text.length <= maxChars) return text;
      return `${text.slice(0, maxChars)}\n[... truncated: ${path} has ${text.length} characters, showing the first ${maxChars}]`;
    },
  });
}

// ---- search_lessons -------------------------------------------------------------------------------------------

const SearchLessonsInput = z.object({
  query: z.string().min(1).describe('What to look for in the team lessons, e.g. "retry with backoff"'),
  limit: z.number().int().min(1).max(10).optional().describe('Maximum results (default 5)'),
});

export interface LessonHit {
  id: string;
  title: string;
  snippet?: string;
  score?: number;
}

/** The lessons index is injected so the router does not depend on how it is built. */
export type LessonSearch = (query: string, limit: number) => Promise<readonly LessonHit[]>;

export function searchLessonsTool(search: LessonSearch): ToolDefinition<typeof SearchLessonsInput> {
  return defineTool({
    name: 'search_lessons',
    description: "Search the team's lessons knowledge base (past mistakes, conventions, fixes). Returns matching lessons.",
    input: SearchLessonsInput,
    async run({ query, limit }) {
      const hits = await search(query, limit ?? 5);
      if (!hits.length) return `no lessons match "${query}"`;
      return hits.map((h) => `- [${h.id}] ${h.title}${h.snippet ? `: ${h.snippet}` : ''}`).join('\n');
    },
  });
}
