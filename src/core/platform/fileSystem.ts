import { promises as fsp } from 'node:fs';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * The file system as core sees it. The extension passes one backed by `vscode.workspace.fs`, the CLI and MCP
 * server the Node one below, tests an in-memory fake. Paths are absolute, '/'-separated.
 */
export interface FileSystem {
  readText(path: string): Promise<string>;
  readBytes(path: string): Promise<Uint8Array>;
  /** Atomic: written to a temp file beside the target, then renamed over it. Creates parent folders. */
  writeText(path: string, text: string): Promise<void>;
  /** One write call with O_APPEND, so concurrent appenders never interleave a line. */
  appendText(path: string, text: string): Promise<void>;
  /**
   * Exclusive create: writes `text` to a new file and resolves true, or resolves false (writing nothing) when
   * `path` already exists. Two processes reserving the same name cannot both win. Creates parent folders.
   */
  createText(path: string, text: string): Promise<boolean>;
  stat(path: string): Promise<FileStat | undefined>;
  readDir(path: string): Promise<DirEntry[]>;
  remove(path: string): Promise<void>;
  /**
   * What `path` really is, symbolic links resolved: 'missing' when nothing is there, 'dangling' when a link (or
   * a link in its parent chain) points nowhere. File systems without links (in memory) leave it out.
   */
  probe?(path: string): Promise<PathProbe>;
}

export type PathProbe = { readonly real: string; readonly kind: 'file' | 'directory' | 'other' } | 'missing' | 'dangling';

export interface FileStat {
  readonly kind: 'file' | 'directory';
  readonly size: number;
  readonly mtimeMs: number;
}

export interface DirEntry {
  readonly name: string;
  readonly kind: 'file' | 'directory';
}

export const nodeFileSystem: FileSystem = {
  readText: (path) => fsp.readFile(path, 'utf8'),
  readBytes: (path) => fsp.readFile(path),
  async writeText(path, text) {
    await fsp.mkdir(dirname(path), { recursive: true });
    // A rewrite must not loosen a file's permissions (a 600 token file stays 600), so the temp file takes its mode.
    const mode = await fsp.stat(path).then(
      (s) => (s.isFile() ? s.mode & 0o7777 : undefined),
      () => undefined,
    );
    const tmp = join(dirname(path), `.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await fsp.writeFile(tmp, text, { encoding: 'utf8', ...(mode !== undefined ? { mode } : {}) });
      // writeFile's mode is filtered by the umask; set it exactly.
      if (mode !== undefined) await fsp.chmod(tmp, mode);
      await fsp.rename(tmp, path);
    } catch (e) {
      await fsp.rm(tmp, { force: true }).catch(() => undefined);
      throw e;
    }
  },
  async appendText(path, text) {
    await fsp.mkdir(dirname(path), { recursive: true });
    await fsp.appendFile(path, text, { encoding: 'utf8', flag: 'a' });
  },
  async createText(path, text) {
    await fsp.mkdir(dirname(path), { recursive: true });
    try {
      await fsp.writeFile(path, text, { encoding: 'utf8', flag: 'wx' });
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw e;
    }
  },
  async stat(path) {
    try {
      const s = await fsp.stat(path);
      return { kind: s.isDirectory() ? 'directory' : 'file', size: s.size, mtimeMs: s.mtimeMs };
    } catch {
      return undefined;
    }
  },
  async readDir(path) {
    const entries = await fsp.readdir(path, { withFileTypes: true });
    return entries
      .filter((e) => e.isFile() || e.isDirectory())
      .map((e) => ({ name: e.name, kind: e.isDirectory() ? 'directory' : 'file' }));
  },
  remove: (path) => fsp.rm(path, { force: true, recursive: true }),
  async probe(path) {
    for (let attempt = 0; ; attempt++) {
      let real: string;
      try {
        real = (await fsp.realpath(path)).replace(/\\/g, '/');
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'ENOTDIR') return 'missing'; // under a file: the caller walks up to it
        if (code === 'ELOOP') return 'dangling'; // links pointing at each other lead nowhere
        if (code !== 'ENOENT') throw e;
        // realpath fails the same for "nothing here" and "a link to nothing"; lstat tells them apart. Something
        // that is not a link appearing in between was created by another process just now: look again.
        const l = await fsp.lstat(path).catch(() => undefined);
        if (!l) return 'missing';
        if (l.isSymbolicLink() || attempt >= 3) return 'dangling';
        continue;
      }
      const s = await fsp.stat(real).catch(() => undefined);
      if (!s) {
        if (attempt >= 3) return 'missing';
        continue; // removed by another process between the two calls
      }
      return { real, kind: s.isFile() ? 'file' : s.isDirectory() ? 'directory' : 'other' };
    }
  },
};

/** Walks `root` depth-first and yields files whose relative path passes `accept`; skips `skipDirs` by name. */
export async function* walkFiles(
  fs: FileSystem,
  root: string,
  accept: (relPath: string) => boolean,
  skipDirs: ReadonlySet<string> = DEFAULT_SKIP_DIRS,
): AsyncGenerator<string> {
  const stack: string[] = [''];
  while (stack.length) {
    const rel = stack.pop()!;
    let entries: DirEntry[];
    try {
      entries = await fs.readDir(rel ? `${root}/${rel}` : root);
    } catch {
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? 1 : -1));
    for (const e of entries) {
      const childRel = rel ? `${rel}/${e.name}` : e.name;
      if (e.kind === 'directory') {
        if (!skipDirs.has(e.name)) stack.push(childRel);
      } else if (accept(childRel)) {
        yield `${root}/${childRel}`;
      }
    }
  }
}

export const DEFAULT_SKIP_DIRS: ReadonlySet<string> = new Set(['node_modules', '.git', 'dist', 'out', '.vscode-test']);
