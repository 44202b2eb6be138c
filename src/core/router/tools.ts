import { promises as fsp } from 'node:fs';
import { z } from 'zod';
import type { Tool as OllamaTool } from 'ollama';
import type { Tool as AnthropicTool } from '@anthropic-ai/sdk/resources/messages/messages';
import type { FileSystem } from '../platform/fileSystem';
import { confineWorkspaceArgument, resolveWorkspaceArgument, WorkspacePathError, type ConfinedPath } from '../platform/workspacePath';
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

/** Resolves symlinks, e.g. `fs.promises.realpath`. */
export type RealPath = (path: string) => Promise<string>;
/** The first `maxBytes` bytes of a file (fewer when it is shorter). */
export type ReadHead = (path: string, maxBytes: number) => Promise<Uint8Array>;

export interface ReadFileToolOptions {
  fs: FileSystem;
  /** Absolute, '/'-separated workspace root. */
  root: string;
  /** Larger files are cut at this many characters with a marker (default 64 KiB). */
  maxChars?: number;
  /**
   * Symlink guard: the target's real path must stay under the root's. The FileSystem interface cannot tell
   * whether it is backed by a disk, so callers on one pass it (see `nodeFileAccess`); without it the check is
   * lexical only, which is right for in-memory file systems and nothing else.
   */
  realpath?: RealPath;
  /** Reads only the head of a large file; without it the whole file is read, then cut. */
  readHead?: ReadHead;
}

/** Disk access for `readFileTool` when its FileSystem is `nodeFileSystem`. */
export const nodeFileAccess: Required<Pick<ReadFileToolOptions, 'realpath' | 'readHead'>> = {
  realpath: (p) => fsp.realpath(p),
  async readHead(path, maxBytes) {
    const handle = await fsp.open(path, 'r');
    try {
      const buf = Buffer.alloc(maxBytes);
      let filled = 0;
      while (filled < maxBytes) {
        const { bytesRead } = await handle.read(buf, filled, maxBytes - filled, filled);
        if (!bytesRead) break;
        filled += bytesRead;
      }
      return buf.subarray(0, filled);
    } finally {
      await handle.close();
    }
  },
};

/**
 * Resolves a workspace-relative path, or undefined when it is absolute or climbs out of the root. Lexical only;
 * `readFileTool` adds the symlink check when given a realpath.
 */
export function resolveInWorkspace(root: string, relPath: string): string | undefined {
  try {
    const abs = resolveWorkspaceArgument(root, relPath);
    // The root itself is no file to read or write.
    return abs === (root.replace(/\\/g, '/').replace(/\/+$/, '') || '/') ? undefined : abs;
  } catch {
    return undefined;
  }
}

/** Git's test: a NUL byte in the first 8 KiB means binary. */
const BINARY_PROBE = 8192;

export function readFileTool(opts: ReadFileToolOptions): ToolDefinition<typeof ReadFileInput> {
  const maxChars = opts.maxChars ?? 64 * 1024;
  // UTF-8 spends at most 4 bytes on a character, so this many bytes always hold `maxChars` of them.
  const maxBytes = maxChars * 4;
  return defineTool({
    name: 'read_file',
    description: 'Read a text file from the current workspace. Paths are relative to the workspace root.',
    input: ReadFileInput,
    async run({ path }) {
      if (!resolveInWorkspace(opts.root, path)) throw new Error(`refused: "${path}" is not a path inside the workspace`);
      let confined: ConfinedPath;
      try {
        confined = await confineWorkspaceArgument(opts.root, path, { ...(opts.realpath ? { realpath: opts.realpath } : {}) });
      } catch (e) {
        if (e instanceof WorkspacePathError && /symbolic link/.test(e.message)) throw new Error(`refused: "${path}" leads outside the workspace (symbolic link)`);
        throw new Error(`refused: "${path}" is not a path inside the workspace`);
      }
      if (opts.realpath && confined.real === undefined) throw new Error(`no such file: ${path}`);
      // Read what was checked, so a link swapped in between cannot redirect the read.
      const target = confined.real ?? confined.path;
      const stat = await opts.fs.stat(target);
      if (!stat) throw new Error(`no such file: ${path}`);
      if (stat.kind !== 'file') throw new Error(`${path} is a directory`);
      let bytes = stat.size > maxBytes && opts.readHead ? await opts.readHead(target, maxBytes) : await opts.fs.readBytes(target);
      if (bytes.subarray(0, BINARY_PROBE).includes(0)) throw new Error(`${path}: binary file, not read`);
      const cutBytes = bytes.length > maxBytes || bytes.length < stat.size;
      if (bytes.length > maxBytes) bytes = bytes.subarray(0, maxBytes);
      // `stream` holds back a character split by the cut instead of decoding it as U+FFFD.
      let text = new TextDecoder().decode(bytes, { stream: cutBytes });
      if (!cutBytes && text.length <= maxChars) return text;
      const end = /[\uD800-\uDBFF]/.test(text.charAt(maxChars - 1)) ? maxChars - 1 : maxChars;
      text = text.slice(0, end);
      return `${text}\n[... truncated: ${path} has ${stat.size} bytes, showing the first ${text.length} characters]`;
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
