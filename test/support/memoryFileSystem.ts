import type { DirEntry, FileStat, FileSystem } from '../../src/core/platform/fileSystem';

/** In-memory FileSystem for unit tests. Paths are absolute and '/'-separated. */
export class MemoryFileSystem implements FileSystem {
  readonly files = new Map<string, string>();

  constructor(initial: Record<string, string> = {}) {
    for (const [p, t] of Object.entries(initial)) this.files.set(p, t);
  }

  async readText(path: string): Promise<string> {
    const t = this.files.get(path);
    if (t === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
    return t;
  }
  async readBytes(path: string): Promise<Uint8Array> {
    return new TextEncoder().encode(await this.readText(path));
  }
  async writeText(path: string, text: string): Promise<void> {
    this.files.set(path, text);
  }
  async appendText(path: string, text: string): Promise<void> {
    this.files.set(path, (this.files.get(path) ?? '') + text);
  }
  async createText(path: string, text: string): Promise<boolean> {
    if (this.files.has(path)) return false;
    this.files.set(path, text);
    return true;
  }
  async stat(path: string): Promise<FileStat | undefined> {
    if (this.files.has(path)) return { kind: 'file', size: this.files.get(path)!.length, mtimeMs: 0 };
    const prefix = path.endsWith('/') ? path : `${path}/`;
    for (const p of this.files.keys()) if (p.startsWith(prefix)) return { kind: 'directory', size: 0, mtimeMs: 0 };
    return undefined;
  }
  async readDir(path: string): Promise<DirEntry[]> {
    const prefix = path.endsWith('/') ? path : `${path}/`;
    const seen = new Map<string, DirEntry>();
    for (const p of this.files.keys()) {
      if (!p.startsWith(prefix)) continue;
      const rest = p.slice(prefix.length);
      const [head, ...tail] = rest.split('/');
      if (!seen.has(head)) seen.set(head, { name: head, kind: tail.length ? 'directory' : 'file' });
    }
    if (!seen.size && !this.files.has(path)) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
    return [...seen.values()];
  }
  async remove(path: string): Promise<void> {
    for (const p of [...this.files.keys()]) if (p === path || p.startsWith(`${path}/`)) this.files.delete(p);
  }
}
