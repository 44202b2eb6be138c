import ignore, { type Ignore } from 'ignore';
import { DEFAULT_SKIP_DIRS, type FileSystem } from '../platform/fileSystem';
import type { Finding, SkippedFile, TreeResult } from './types';

export interface TreeOptions {
  maxFileBytes?: number;
  /** Files read at once; the Node file system overlaps reads, an editor one may prefer fewer. */
  concurrency?: number;
  /** Called after each file, for a progress indicator. */
  onProgress?: (done: number, file: string) => void;
  /** Stops the scan: no further file is read and the promise rejects with the signal's reason. */
  signal?: AbortSignal;
}

type CheckFn = (relPath: string, text: string) => { findings: Finding[]; baselined: number };

interface IgnoreLayer {
  /** Folder of the .gitignore, relative to root, '' for root, else ending in '/'. */
  readonly base: string;
  readonly ig: Ignore;
}

const BINARY_SNIFF_BYTES = 8192;
const decoder = new TextDecoder('utf-8');

export async function checkTree(
  fs: FileSystem,
  rootIn: string,
  paths: readonly string[] | undefined,
  check: CheckFn,
  options: TreeOptions = {},
): Promise<TreeResult> {
  const root = rootIn.replace(/\\/g, '/').replace(/\/+$/, '');
  const maxBytes = options.maxFileBytes ?? 1024 * 1024;
  const files = await collectFiles(fs, root, paths);
  options.signal?.throwIfAborted();
  const findings: Finding[] = [];
  const skipped: SkippedFile[] = [];
  let checked = 0;
  let baselined = 0;
  let done = 0;

  const one = async (rel: string) => {
    const abs = rel.startsWith('/') ? rel : `${root}/${rel}`;
    const st = await fs.stat(abs);
    if (!st) {
      skipped.push({ file: rel, reason: 'unreadable' });
      return;
    }
    if (st.size > maxBytes) {
      skipped.push({ file: rel, reason: `too large (${formatBytes(st.size)} > ${formatBytes(maxBytes)})` });
      return;
    }
    let bytes: Uint8Array;
    try {
      bytes = await fs.readBytes(abs);
    } catch (e) {
      skipped.push({ file: rel, reason: `unreadable: ${(e as Error).message}` });
      return;
    }
    if (bytes.subarray(0, BINARY_SNIFF_BYTES).includes(0)) {
      skipped.push({ file: rel, reason: 'binary' });
      return;
    }
    const r = check(rel, decoder.decode(bytes));
    checked++;
    baselined += r.baselined;
    for (const f of r.findings) findings.push(f);
  };

  let next = 0;
  const worker = async () => {
    while (next < files.length && !options.signal?.aborted) {
      const rel = files[next++];
      await one(rel);
      options.onProgress?.(++done, rel);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 16) }, worker));
  options.signal?.throwIfAborted();

  findings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.range.startLine - b.range.startLine || a.range.startColumn - b.range.startColumn));
  skipped.sort((a, b) => (a.file < b.file ? -1 : 1));
  return { findings, skipped, files: checked, baselined };
}

/**
 * Relative paths of the files to check: the whole tree, or the given paths (absolute or root-relative). A file
 * named explicitly is checked even if ignored; folders are walked with every .gitignore on the way applied.
 */
export async function collectFiles(fs: FileSystem, root: string, paths?: readonly string[]): Promise<string[]> {
  const targets = paths?.length ? paths.map((p) => toRel(root, p)) : [''];
  const out = new Set<string>();
  for (const t of targets) {
    const st = await fs.stat(t === '' ? root : t.startsWith('/') ? t : `${root}/${t}`);
    if (!st) throw new MissingPathError(t);
    if (st.kind === 'file') {
      out.add(t);
      continue;
    }
    if (t.startsWith('/')) {
      // A folder outside root: walk it with only its own ignore files.
      for (const f of await walk(fs, t, '', [])) out.add(`${t}/${f}`);
      continue;
    }
    const layers = await ancestorLayers(fs, root, t);
    for (const f of await walk(fs, root, t, layers)) out.add(f);
  }
  return [...out].sort();
}

export class MissingPathError extends Error {
  constructor(readonly path: string) {
    super(`no such file or directory: ${path || '.'}`);
    this.name = 'MissingPathError';
  }
}

function toRel(root: string, p: string): string {
  const n = p.replace(/\\/g, '/').replace(/\/+$/, '');
  if (n === root) return '';
  if (n.startsWith(`${root}/`)) return n.slice(root.length + 1);
  if (n.startsWith('/') || /^[A-Za-z]:\//.test(n)) return n;
  return n.replace(/^(?:\.\/)+/, '').replace(/^\.$/, '');
}

async function readIgnore(fs: FileSystem, dirAbs: string, base: string): Promise<IgnoreLayer | undefined> {
  const st = await fs.stat(`${dirAbs}/.gitignore`);
  if (st?.kind !== 'file') return undefined;
  try {
    return { base, ig: ignore().add(await fs.readText(`${dirAbs}/.gitignore`)) };
  } catch {
    return undefined;
  }
}

/** .gitignore files of root and each folder between root and `rel` (exclusive), which walk() won't visit. */
async function ancestorLayers(fs: FileSystem, root: string, rel: string): Promise<IgnoreLayer[]> {
  const layers: IgnoreLayer[] = [];
  const parts = rel ? rel.split('/') : [];
  for (let i = 0; i < parts.length; i++) {
    const base = parts.slice(0, i).join('/');
    const layer = await readIgnore(fs, base ? `${root}/${base}` : root, base ? `${base}/` : '');
    if (layer) layers.push(layer);
  }
  return layers;
}

function ignored(layers: readonly IgnoreLayer[], rel: string, isDir: boolean): boolean {
  for (const l of layers) {
    if (l.base && !rel.startsWith(l.base)) continue;
    const sub = rel.slice(l.base.length);
    if (sub && l.ig.ignores(isDir ? `${sub}/` : sub)) return true;
  }
  return false;
}

async function walk(fs: FileSystem, root: string, start: string, inherited: IgnoreLayer[]): Promise<string[]> {
  const out: string[] = [];
  const stack: Array<{ rel: string; layers: IgnoreLayer[] }> = [{ rel: start, layers: inherited }];
  while (stack.length) {
    const { rel, layers: parent } = stack.pop()!;
    const abs = rel ? `${root}/${rel}` : root;
    let entries;
    try {
      entries = await fs.readDir(abs);
    } catch {
      continue;
    }
    let layers = parent;
    if (entries.some((e) => e.name === '.gitignore' && e.kind === 'file')) {
      const layer = await readIgnore(fs, abs, rel ? `${rel}/` : '');
      if (layer) layers = [...parent, layer];
    }
    for (const e of entries) {
      const childRel = rel ? `${rel}/${e.name}` : e.name;
      if (e.kind === 'directory') {
        if (!DEFAULT_SKIP_DIRS.has(e.name) && !ignored(layers, childRel, true)) stack.push({ rel: childRel, layers });
      } else if (!ignored(layers, childRel, false)) {
        out.push(childRel);
      }
    }
  }
  return out;
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.round(n / 1024)} KB`;
}
