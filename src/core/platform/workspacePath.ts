import { posix } from 'node:path';
import type { FileSystem } from './fileSystem';

/**
 * A path a setting names that llmgenie will not use: outside the workspace, leading out of it through a symbolic
 * link, or not the kind of thing it must be (a FIFO, a device, a folder where a file belongs). The message names
 * the setting, so the person knows what to change.
 */
export class WorkspaceSettingError extends Error {
  override readonly name = 'WorkspaceSettingError';
  constructor(
    readonly setting: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ConfineOptions {
  /** The setting (or flag) the value came from, e.g. "llmgenie.decisionLog.path": named in every refusal. */
  readonly setting: string;
  /** What the path must be once it exists. A path that does not exist yet is fine (it will be created). */
  readonly expect: 'file' | 'directory';
}

const toPosix = (p: string) => p.replace(/\\/g, '/');
const isAbsolute = (p: string) => p.startsWith('/') || /^[A-Za-z]:\//.test(p);
const inside = (base: string, p: string) => p === base || p.startsWith(base === '/' ? '/' : `${base}/`);

/**
 * The one resolver for paths that workspace files configure (`.vscode/settings.json`, the CLI reading it, the MCP
 * server, the editor): a cloned repository must not steer llmgenie's reads and writes outside itself. `value` is
 * relative to `root` or absolute; the result is absolute, '/'-separated and, by real path, inside the root's real
 * path (the path returned is the lexical one, verified): every existing component is resolved through its symbolic links, the not-yet-existing tail is appended to
 * the real path of its nearest existing ancestor, and a link pointing nowhere is refused (writing through it would
 * create its target, wherever that is). A target that exists must be a regular file or a folder as `expect` says:
 * reading a FIFO or a `/proc` file blocks or never ends. Anything else throws WorkspaceSettingError.
 *
 * File systems without `probe` (in memory) have no links: the check is lexical there.
 */
export async function confineWorkspacePath(fs: FileSystem, root: string, value: string, opts: ConfineOptions): Promise<string> {
  const { setting } = opts;
  const given = value.trim();
  const refuse = (why: string) => new WorkspaceSettingError(setting, `${setting} "${given}" ${why}; use a path inside the workspace`);
  if (!given) throw new WorkspaceSettingError(setting, `${setting} is empty`);
  if (given.includes('\0')) throw refuse('contains a NUL byte');
  if (given.startsWith('~')) throw refuse('points into the home folder');
  const base = posix.normalize(toPosix(root)).replace(/(.)\/+$/, '$1');
  const p = toPosix(given);
  const abs = posix.normalize(isAbsolute(p) ? p : `${base}/${p}`).replace(/(.)\/+$/, '$1');
  if (!inside(base, abs)) throw refuse('is outside the workspace');
  if (!fs.probe) {
    const st = await fs.stat(abs);
    if (st && st.kind !== opts.expect) throw refuse(`is a ${st.kind === 'file' ? 'file' : 'folder'}, not a ${opts.expect === 'file' ? 'file' : 'folder'}`);
    return abs;
  }
  const rootProbe = await fs.probe(base);
  const realRoot = typeof rootProbe === 'object' ? rootProbe.real : base;
  // Walk up to the nearest existing ancestor; the tail below it is created later, by name, under its real path.
  const tail: string[] = [];
  let probe = abs;
  let found = await fs.probe(probe);
  while (found === 'missing' && probe !== base && probe !== posix.dirname(probe)) {
    tail.unshift(posix.basename(probe));
    probe = posix.dirname(probe);
    found = await fs.probe(probe);
  }
  if (found === 'dangling') throw refuse('is a symbolic link to nothing (writing through it would create its target)');
  if (found === 'missing') throw refuse('has no existing folder inside the workspace');
  const real = tail.length ? `${found.real.replace(/\/+$/, '')}/${tail.join('/')}` : found.real;
  if (!inside(realRoot, real)) throw refuse('leads outside the workspace through a symbolic link');
  if (tail.length === 0) {
    if (found.kind === 'other') throw refuse('is not a regular file or folder');
    if (found.kind !== opts.expect) throw refuse(`is a ${found.kind === 'file' ? 'file' : 'folder'}, not a ${opts.expect === 'file' ? 'file' : 'folder'}`);
  } else if (found.kind !== 'directory') {
    throw refuse(`is under ${found.kind === 'file' ? 'a file' : 'something that is not a folder'}`);
  }
  // The lexical path, now known to stay inside: callers show it relative to the root as they were given it.
  return abs;
}

// ---- path arguments ------------------------------------------------------------------------------------------

/**
 * A path argument (an MCP tool's `path`, a model's `read_file`, a CLI flag naming a workspace file) that cannot be
 * used: absolute, escaping the workspace lexically or through a symbolic link, or malformed. One line, shown as is.
 */
export class WorkspacePathError extends Error {
  override readonly name = 'WorkspacePathError';
}

/** Resolves symbolic links (`fs.promises.realpath` on a real disk); in-memory file systems have none. */
export type RealPath = (path: string) => Promise<string>;

const MAX_PATH_CHARS = 4096;

/**
 * A workspace-relative path → absolute, '/'-separated, normalized, lexically inside `root` (`''` and `'.'` name the
 * root). Agents run with other people's prompts in their context: absolute paths, drive letters, `~`, `..` above
 * the root and NUL bytes are refused. Lexical only: `confineWorkspaceArgument` adds the real-path check.
 */
export function resolveWorkspaceArgument(root: string, input: string, what = 'path'): string {
  if (input.length > MAX_PATH_CHARS) throw new WorkspacePathError(`${what} is longer than ${MAX_PATH_CHARS} characters`);
  if (input.includes('\0')) throw new WorkspacePathError(`${what} contains a NUL byte`);
  const p = toPosix(input.trim());
  if (p.startsWith('/') || /^[A-Za-z]:/.test(p) || p.startsWith('~')) {
    throw new WorkspacePathError(`${what} must be relative to the workspace root, got "${input}"`);
  }
  const rel = posix.normalize(p || '.').replace(/\/+$/, '');
  if (rel === '..' || rel.startsWith('../')) throw new WorkspacePathError(`${what} "${input}" is outside the workspace`);
  const base = toPosix(root).replace(/\/+$/, '');
  return rel === '.' ? base || '/' : `${base}/${rel}`;
}

export interface ConfinedPath {
  /** Lexical absolute path, as the caller shows it. */
  readonly path: string;
  /** Its real path when it exists and links were resolved: read this, so a link swapped in later cannot redirect. */
  readonly real?: string;
}

/**
 * The one check for every path argument a client, a model or a flag gives: lexically inside `root`
 * (resolveWorkspaceArgument), then by real path: the target, or for a file about to be created its nearest existing
 * ancestor, must resolve under the root's real path, so a symlink inside the workspace cannot lead out of it.
 */
export async function confineWorkspaceArgument(root: string, input: string, opts: { what?: string; realpath?: RealPath } = {}): Promise<ConfinedPath> {
  const what = opts.what ?? 'path';
  const abs = resolveWorkspaceArgument(root, input, what);
  const realpath = opts.realpath;
  if (!realpath) return { path: abs };
  const base = abs.slice(0, Math.max(1, toPosix(root).replace(/\/+$/, '').length));
  const realRoot = toPosix(await realpath(base).catch(() => base)).replace(/(.)\/+$/, '$1');
  for (let probe = abs; ; ) {
    const real = await realpath(probe).then(toPosix, () => undefined);
    if (real !== undefined) {
      if (!inside(realRoot, real)) throw new WorkspacePathError(`${what} "${relativeTo(root, abs) || '.'}" leads outside the workspace (symbolic link)`);
      return probe === abs ? { path: abs, real } : { path: abs };
    }
    const parent = posix.dirname(probe);
    if (parent === probe || probe.length <= base.length) return { path: abs };
    probe = parent;
  }
}

/** The absolute path relative to root ('' for the root itself; unchanged when outside). */
export function relativeTo(root: string, abs: string): string {
  const base = toPosix(root).replace(/\/+$/, '');
  if (abs === base) return '';
  return abs.startsWith(`${base}/`) ? abs.slice(base.length + 1) : abs;
}
