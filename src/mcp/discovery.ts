// How Cursor, Claude Code and VS Code find the server. No vscode import: the editor adapter, the CLI and tests share it.
import { applyEdits, findNodeAtLocation, getNodeValue, modify, parseTree, printParseErrorCode, type FormattingOptions, type ParseError } from 'jsonc-parser';
import type { FileSystem } from '../core/platform/fileSystem';

export const SERVER_NAME = 'llmgenie';

/** A stdio server as `mcpServers` entries (Cursor, Claude Code) and VS Code's McpStdioServerDefinition describe it. */
export interface McpServerEntry {
  command: string;
  args: string[];
  env?: Record<string, string>;
}

/** Project-level config files: Cursor reads `.cursor/mcp.json`, Claude Code `.mcp.json`. */
export const MCP_CONFIG_FILES = { cursor: '.cursor/mcp.json', claude: '.mcp.json' } as const;
export type McpConfigTarget = keyof typeof MCP_CONFIG_FILES;

export class McpConfigError extends Error {
  override readonly name = 'McpConfigError';
}

export interface StdioLaunchOptions {
  /** Absolute path of the CLI bundle (`dist/cli.js`); without it the entry runs `npx llmgenie mcp`. */
  cliPath?: string;
  /** Node to run `cliPath` with; default `node` from PATH. */
  nodePath?: string;
  /** Workspace root passed as `--root`; default: the folder the client starts the server in. */
  root?: string;
  /** Extra environment, e.g. `{ELECTRON_RUN_AS_NODE: '1'}` when `nodePath` is VS Code's own executable. */
  env?: Record<string, string>;
}

/**
 * The command that starts the stdio server. The editor adapter passes its bundled `dist/cli.js` (and, for VS Code's
 * Electron, `process.execPath` with `ELECTRON_RUN_AS_NODE=1` in `env`); config files default to `npx llmgenie mcp`.
 */
export function stdioLaunch(opts: StdioLaunchOptions = {}): McpServerEntry {
  const args = ['mcp', ...(opts.root ? ['--root', opts.root] : [])];
  const entry = opts.cliPath ? { command: opts.nodePath ?? 'node', args: [opts.cliPath, ...args] } : { command: 'npx', args: ['llmgenie', ...args] };
  return opts.env && Object.keys(opts.env).length ? { ...entry, env: { ...opts.env } } : entry;
}

function formatting(text: string): FormattingOptions {
  const indent = /^([ \t]+)\S/m.exec(text)?.[1] ?? '  ';
  return {
    insertSpaces: !indent.startsWith('\t'),
    tabSize: indent.startsWith('\t') ? 1 : indent.length,
    eol: text.includes('\r\n') ? '\r\n' : '\n',
  };
}

function where(text: string, offset: number): string {
  const before = text.slice(0, offset).split(/\r?\n/);
  return `line ${before.length}, column ${before[before.length - 1].length + 1}`;
}

/**
 * Adds or updates the `mcpServers.<name>` entry of an MCP config file's text and returns the new text. Other
 * servers, unknown keys (also inside our own entry) and comments are kept, and the file's indentation and line ends
 * are followed (the `mcpServers` object an entry is inserted into is re-indented); unchanged input comes back
 * identical. Malformed JSON is refused with McpConfigError rather than overwritten.
 */
export function mergeMcpConfig(existingText: string | undefined, entry: McpServerEntry, name = SERVER_NAME): string {
  if (existingText === undefined || existingText.trim() === '') return `${JSON.stringify({ mcpServers: { [name]: entry } }, null, 2)}\n`;
  const errors: ParseError[] = [];
  const tree = parseTree(existingText, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length || !tree) {
    const e = errors[0];
    throw new McpConfigError(`not valid JSON (${e ? `${printParseErrorCode(e.error)} at ${where(existingText, e.offset)}` : 'empty'}); fix it by hand, it was not changed`);
  }
  if (tree.type !== 'object') throw new McpConfigError('the top level is not a JSON object; fix it by hand, it was not changed');
  const servers = findNodeAtLocation(tree, ['mcpServers']);
  if (servers && servers.type !== 'object') throw new McpConfigError('"mcpServers" is not an object; fix it by hand, it was not changed');
  const current = findNodeAtLocation(tree, ['mcpServers', name]);
  const options = { formattingOptions: formatting(existingText) };

  if (!current || current.type !== 'object') return applyEdits(existingText, modify(existingText, ['mcpServers', name], entry, options));
  const have = getNodeValue(current) as Record<string, unknown>;
  let text = existingText;
  for (const key of ['command', 'args', 'env'] as const) {
    const want = entry[key];
    if (want === undefined || JSON.stringify(have[key]) === JSON.stringify(want)) continue;
    text = applyEdits(text, modify(text, ['mcpServers', name, key], want, options));
  }
  return text;
}

export type McpConfigWrite =
  | { target: McpConfigTarget; file: string; status: 'created' | 'updated' | 'unchanged' }
  | { target: McpConfigTarget; file: string; status: 'refused'; error: string };

/** Writes the entry into each target's config file under `root`; a refused file does not stop the others. */
export async function writeMcpConfigs(
  fs: FileSystem,
  root: string,
  entry: McpServerEntry,
  targets: readonly McpConfigTarget[] = ['cursor', 'claude'],
): Promise<McpConfigWrite[]> {
  const out: McpConfigWrite[] = [];
  for (const target of targets) {
    const file = MCP_CONFIG_FILES[target];
    const abs = `${root.replace(/\/+$/, '')}/${file}`;
    const st = await fs.stat(abs);
    if (st?.kind === 'directory') {
      out.push({ target, file, status: 'refused', error: 'is a folder, not a file' });
      continue;
    }
    const existing = st ? await fs.readText(abs) : undefined;
    let next: string;
    try {
      next = mergeMcpConfig(existing, entry);
    } catch (e) {
      out.push({ target, file, status: 'refused', error: (e as Error).message });
      continue;
    }
    if (next === existing) {
      out.push({ target, file, status: 'unchanged' });
      continue;
    }
    await fs.writeText(abs, next);
    out.push({ target, file, status: existing === undefined ? 'created' : 'updated' });
  }
  return out;
}
