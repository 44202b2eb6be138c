import { posix } from 'node:path';

/** A path argument an MCP client sent that cannot be used: absolute, escaping the workspace, or malformed. */
export class WorkspacePathError extends Error {
  override readonly name = 'WorkspacePathError';
}

/** Resolves symlinks; the Node server passes `fs.promises.realpath`, in-memory tests pass nothing. */
export type RealPath = (path: string) => Promise<string>;

const MAX_PATH_CHARS = 4096;

/**
 * A workspace-relative path from a client → absolute, '/'-separated, normalized, inside `root`.
 * Agents run with other people's prompts in their context: anything that could name a file outside the
 * workspace (absolute paths, drive letters, `..` above the root, NUL bytes) is refused with a one-line message.
 * `''` and `'.'` name the root itself.
 */
export function resolveWorkspacePath(root: string, input: string, what = 'path'): string {
  if (input.length > MAX_PATH_CHARS) throw new WorkspacePathError(`${what} is longer than ${MAX_PATH_CHARS} characters`);
  if (input.includes('\0')) throw new WorkspacePathError(`${what} contains a NUL byte`);
  const p = input.trim().replace(/\\/g, '/');
  if (p.startsWith('/') || /^[A-Za-z]:/.test(p) || p.startsWith('~')) {
    throw new WorkspacePathError(`${what} must be relative to the workspace root, got "${input}"`);
  }
  const rel = posix.normalize(p || '.').replace(/\/+$/, '');
  if (rel === '..' || rel.startsWith('../')) throw new WorkspacePathError(`${what} "${input}" is outside the workspace`);
  const base = root.replace(/\\/g, '/').replace(/\/+$/, '');
  return rel === '.' ? base || '/' : `${base}/${rel}`;
}

/** The absolute path relative to root ('' for the root itself). */
export function workspaceRelative(root: string, abs: string): string {
  const base = root.replace(/\/+$/, '');
  if (abs === base) return '';
  return abs.startsWith(`${base}/`) ? abs.slice(base.length + 1) : abs;
}

/**
 * Lexical checks cannot see a symlink inside the workspace pointing out of it. With a real file system, the
 * target's real path (or its nearest existing ancestor's, for a file about to be created) must stay under the
 * root's real path.
 */
export async function assertInsideRealRoot(root: string, abs: string, realpath: RealPath | undefined, what = 'path'): Promise<void> {
  if (!realpath) return;
  const realRoot = await realpath(root).catch(() => root);
  let probe = abs;
  for (;;) {
    try {
      const real = (await realpath(probe)).replace(/\\/g, '/');
      if (real !== realRoot && !real.startsWith(`${realRoot.replace(/\/+$/, '')}/`)) {
        throw new WorkspacePathError(`${what} "${workspaceRelative(root, abs)}" leads outside the workspace (symbolic link)`);
      }
      return;
    } catch (e) {
      if (e instanceof WorkspacePathError) throw e;
      const parent = posix.dirname(probe);
      if (parent === probe || probe.length <= root.length) return;
      probe = parent;
    }
  }
}

/** A single folder or file name (a handoff package name): no separators, no dot-only names. */
export function assertPlainName(name: string, what: string): string {
  if (!/^[\p{L}\p{N}._-]{1,120}$/u.test(name) || /^\.+$/.test(name)) {
    throw new WorkspacePathError(`${what} may only use letters, digits, ".", "_" and "-" (at most 120), got "${name}"`);
  }
  return name;
}

/** JSON-RPC error code the MCP spec gives "resource not found". */
export const RESOURCE_NOT_FOUND = -32002;

/** URI template variables arrive percent-encoded; a malformed escape is just a name that does not exist. */
export function decodeVar(v: string | string[] | undefined): string {
  const s = Array.isArray(v) ? v.join(',') : (v ?? '');
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
