
// Path arguments are confined by the one core check (platform/workspacePath confineWorkspaceArgument), shared with
// read_file, the coder's tools and the CLI; what is left here is MCP's own: names, URI variables, error codes.
import { WorkspacePathError, relativeTo } from '../core/platform/workspacePath';

/** The absolute path relative to root ('' for the root itself). */
export const workspaceRelative = relativeTo;

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
