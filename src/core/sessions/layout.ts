import type { FileSystem } from '../platform/fileSystem';
import { confineWorkspacePath } from '../platform/workspacePath';

export const DEFAULT_SESSIONS_DIR = '.llmgenie/sessions';
export const SESSIONS_DIR_SETTING = 'llmgenie.sessions.directory';

/**
 * Session ids sort by start time: `YYYYMMDD-HHmmssSSS-<6 base36>` (UTC). Part 1 is `<id>.jsonl`, later parts
 * after size rotation `<id>.<n>.jsonl`.
 */
const SESSION_ID = /^\d{8}-\d{9}-[0-9a-z]{6}$/;
const SESSION_FILE = /^(\d{8}-\d{9}-[0-9a-z]{6})(?:\.(\d{1,6}))?\.jsonl$/;

export function isSessionId(id: string): boolean {
  return SESSION_ID.test(id);
}

export function makeSessionId(start: Date, rand: string): string {
  const iso = start.toISOString(); // 2025-03-01T10:15:00.123Z
  const day = iso.slice(0, 10).replace(/-/g, '');
  const time = iso.slice(11, 23).replace(/[:.]/g, '');
  return `${day}-${time}-${rand}`;
}

/** Start time encoded in the id (ms since epoch), or NaN for a malformed id. */
export function sessionIdTime(id: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})(\d{3})-/.exec(id);
  if (!m) return NaN;
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], +m[7]);
}

export function partFileName(id: string, part: number): string {
  return part <= 1 ? `${id}.jsonl` : `${id}.${part}.jsonl`;
}

/** Absolute sessions folder for a workspace; `dir` may be relative to the root or absolute. */
export function sessionsDirPath(root: string, dir = DEFAULT_SESSIONS_DIR): string {
  const clean = dir.replace(/\\/g, '/').replace(/\/+$/, '');
  if (clean.startsWith('/') || /^[A-Za-z]:\//.test(clean)) return clean;
  return `${root.replace(/\/+$/, '')}/${clean.replace(/^\.\//, '')}`;
}

/**
 * The sessions folder every reader and writer uses: inside the workspace by real path, or WorkspaceSettingError
 * naming the setting (a repository's settings must not make llmgenie write logs elsewhere, e.g. under /proc).
 */
export function resolveSessionsDir(fs: FileSystem, root: string, dir = DEFAULT_SESSIONS_DIR): Promise<string> {
  return confineWorkspacePath(fs, root, dir, { setting: SESSIONS_DIR_SETTING, expect: 'directory' });
}

/** `path` relative to `root` when inside it, else unchanged; always '/'-separated. */
export function relativeToRoot(root: string, path: string): string {
  const r = `${root.replace(/\/+$/, '')}/`;
  return path.startsWith(r) ? path.slice(r.length) : path;
}

export interface SessionFileGroup {
  id: string;
  /** Absolute paths ordered by part number. */
  files: string[];
  parts: number[];
}

/** Groups the session files in `dirPath` by session, newest session first. A missing folder is no sessions. */
export async function listSessionFiles(fs: FileSystem, dirPath: string): Promise<SessionFileGroup[]> {
  let entries;
  try {
    entries = await fs.readDir(dirPath);
  } catch {
    return [];
  }
  const groups = new Map<string, { part: number; name: string }[]>();
  for (const e of entries) {
    if (e.kind !== 'file') continue;
    const m = SESSION_FILE.exec(e.name);
    if (!m) continue;
    const part = m[2] ? Number(m[2]) : 1;
    const list = groups.get(m[1]) ?? [];
    list.push({ part, name: e.name });
    groups.set(m[1], list);
  }
  return [...groups.entries()]
    .sort((a, b) => (a[0] < b[0] ? 1 : a[0] > b[0] ? -1 : 0))
    .map(([id, list]) => {
      list.sort((a, b) => a.part - b.part);
      return { id, files: list.map((p) => `${dirPath}/${p.name}`), parts: list.map((p) => p.part) };
    });
}
