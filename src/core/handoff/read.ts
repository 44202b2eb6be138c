import { posix } from 'node:path';
import type { FileSystem } from '../platform/fileSystem';
import { HandoffReadError } from './errors';
import { parseHandoff } from './parse';
import { validateHandoff } from './validate';
import type { HandoffReport, ValidateOptions } from './validate';

export const HANDOFF_FILE = 'HANDOFF.md';
/** Far beyond any real handoff; keeps a mistaken path (a log, a dump) from being read whole. */
export const MAX_HANDOFF_BYTES = 2 * 1024 * 1024;

/** `path` absolute, or relative to `root`; backslashes accepted. Result is '/'-separated and normalized. */
export function resolveInRoot(root: string, path: string): string {
  const p = path.replace(/\\/g, '/');
  const r = root.replace(/\\/g, '/');
  if (p.startsWith('/') || /^[A-Za-z]:\//.test(p)) return posix.normalize(p);
  return posix.normalize(posix.join(r, p));
}

/** Finds the HANDOFF.md for a folder or file path and decodes it; every failure is a HandoffReadError. */
export async function readHandoffFile(fs: FileSystem, root: string, path: string): Promise<{ file: string; text: string }> {
  const target = resolveInRoot(root, path);
  const stat = await fs.stat(target).catch(() => undefined);
  if (!stat) throw new HandoffReadError('not-found', `no such file or folder: ${path}`, path);
  let file = target;
  if (stat.kind === 'directory') {
    const entries = await fs.readDir(target).catch(() => []);
    const found = entries.find((e) => e.kind === 'file' && e.name.toLowerCase() === HANDOFF_FILE.toLowerCase());
    if (!found) throw new HandoffReadError('no-handoff-file', `${path} is a folder without ${HANDOFF_FILE}`, path);
    file = `${target.replace(/\/+$/, '')}/${found.name}`;
    const fileStat = await fs.stat(file).catch(() => undefined);
    if (fileStat && fileStat.size > MAX_HANDOFF_BYTES) throw tooLarge(path);
  } else if (stat.size > MAX_HANDOFF_BYTES) {
    throw tooLarge(path);
  }
  let bytes: Uint8Array;
  try {
    bytes = await fs.readBytes(file);
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new HandoffReadError('unreadable', `cannot read ${path}${code ? ` (${code})` : ''}`, path);
  }
  if (bytes.length > MAX_HANDOFF_BYTES) throw tooLarge(path);
  if (bytes.subarray(0, 8192).includes(0)) throw new HandoffReadError('binary', `${path} is not a text file`, path);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new HandoffReadError('binary', `${path} is not UTF-8 text`, path);
  }
  return { file, text };
}

function tooLarge(path: string): HandoffReadError {
  return new HandoffReadError('too-large', `${path} is larger than ${MAX_HANDOFF_BYTES / 1024 / 1024} MB; not a handoff`, path);
}

/**
 * Validates a package given as its folder or its HANDOFF.md, relative to `root` or absolute.
 * Throws HandoffReadError (one-line message, `path` set) for unreadable input; never returns a score for it.
 */
export async function validateHandoffPath(
  fs: FileSystem,
  root: string,
  path: string,
  options: Pick<ValidateOptions, 'config'> = {},
): Promise<HandoffReport & { file: string }> {
  const { file, text } = await readHandoffFile(fs, root, path);
  let doc;
  try {
    doc = parseHandoff(text);
  } catch (e) {
    if (e instanceof HandoffReadError) throw new HandoffReadError(e.code, `${path}: ${e.message}`, path, e.line);
    throw e;
  }
  const report = await validateHandoff(doc, { fs, root, ...options });
  return { ...report, file };
}
