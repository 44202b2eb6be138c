// One "draft a handoff package from git changes" flow for the CLI (`handoff create`) and MCP (`create_handoff`).
import type { FileSystem } from '../platform/fileSystem';
import type { HandoffConfig } from './config';
import { defaultHandoffName, draftHandoff } from './draft';
import type { DraftQuestion } from './draft';
import { collectGitChanges } from './git';
import type { GitRunner } from '../platform/git';
import type { GitChanges } from './git';
import { HANDOFF_FILE } from './read';
import { validateHandoffText } from './validate';
import type { HandoffReport } from './validate';

export interface CreateHandoffInput {
  readonly fs: FileSystem;
  /** Absolute, '/'-separated workspace root. */
  readonly root: string;
  readonly config: HandoffConfig;
  readonly git: GitRunner;
  readonly now: Date;
  /** Package folder name (default `<date>-<branch>`); callers validate it. */
  readonly name?: string;
  /** Default: the branch, else the package name. */
  readonly title?: string;
  /** Default: git user.name. */
  readonly from?: string;
  readonly to?: string;
  /** Also list files committed since this ref. */
  readonly base?: string;
  /** Workspace-relative files chosen by the caller: listed first and never filtered. */
  readonly files?: readonly string[];
  /** "question — expected answer" (also "–" or "--"). */
  readonly questions?: readonly string[];
  readonly overwrite?: boolean;
  /** Turns the workspace-relative package folder into an absolute path; MCP passes its containment check. */
  readonly resolveDir?: (relDir: string) => Promise<string>;
}

export interface CreatedHandoff {
  readonly name: string;
  /** Absolute package folder and HANDOFF.md. */
  readonly dir: string;
  readonly file: string;
  readonly text: string;
  /** Files listed in the draft, workspace-relative, without duplicates. */
  readonly files: readonly string[];
  readonly changes: GitChanges;
  readonly report: HandoffReport;
}

export class HandoffCreateError extends Error {
  constructor(
    readonly code: 'git' | 'exists',
    message: string,
    /** For 'exists': the HANDOFF.md, absolute. */
    readonly file?: string,
  ) {
    super(message);
    this.name = 'HandoffCreateError';
  }
}

export function splitQuestion(text: string): DraftQuestion {
  const m = /\s+(?:—|–|--)\s+/.exec(text);
  if (!m) return { question: text.trim() };
  const answer = text.slice(m.index + m[0].length).trim();
  return { question: text.slice(0, m.index).trim(), ...(answer ? { answer } : {}) };
}

// Common binary formats, skipped without reading them; anything else small enough is sniffed for NUL bytes.
const BINARY_EXTENSIONS = new Set(
  (
    'png jpg jpeg gif bmp ico webp tif tiff psd avif heic pdf zip gz tgz bz2 xz 7z rar zst jar war ear class dll so ' +
    'dylib exe bin o a lib obj wasm pyc pyo node woff woff2 ttf otf eot mp3 mp4 m4a wav ogg flac mov avi mkv webm ' +
    'sqlite sqlite3 db vsix pack idx'
  ).split(' '),
);
const SNIFF_MAX_BYTES = 1024 * 1024;
const SNIFF_BYTES = 8192;
const SNIFF_BATCH = 32;

/** llmgenie's own state (session logs, caches, MCP tokens) and other handoff packages are not work to hand over. */
function isOwnState(path: string, packagesDir: string): boolean {
  return path === '.llmgenie' || path.startsWith('.llmgenie/') || (packagesDir !== '' && path.startsWith(`${packagesDir}/`));
}

async function isBinary(fs: FileSystem, abs: string, rel: string): Promise<boolean> {
  const ext = rel.slice(rel.lastIndexOf('/') + 1).split('.').slice(1).pop()?.toLowerCase();
  if (ext && BINARY_EXTENSIONS.has(ext)) return true;
  try {
    const stat = await fs.stat(abs);
    if (!stat || stat.kind !== 'file' || stat.size > SNIFF_MAX_BYTES) return false;
    return (await fs.readBytes(abs)).subarray(0, SNIFF_BYTES).includes(0);
  } catch {
    return false; // unreadable now: listing it lets validation say so
  }
}

/** Changed files worth handing over: not llmgenie's state, not other packages, not binary. */
export async function handoffCandidateFiles(fs: FileSystem, root: string, config: HandoffConfig, changed: readonly string[]): Promise<string[]> {
  const packagesDir = config.directory.replace(/\\/g, '/').replace(/^\.?\/+|\/+$/g, '');
  const kept = changed.filter((f) => !isOwnState(f, packagesDir));
  const binary: boolean[] = [];
  for (let i = 0; i < kept.length; i += SNIFF_BATCH) {
    binary.push(...(await Promise.all(kept.slice(i, i + SNIFF_BATCH).map((f) => isBinary(fs, `${root}/${f}`, f)))));
  }
  return kept.filter((_, i) => !binary[i]);
}

/**
 * Git changes → package name → filtered file list → draft HANDOFF.md → written → validated. No model is called:
 * parts that cannot be collected stay TODO placeholders. Throws HandoffCreateError when git fails on `base` or the
 * package exists and `overwrite` is not set.
 */
export async function createHandoffDraft(input: CreateHandoffInput): Promise<CreatedHandoff> {
  const { fs, root, config } = input;
  let changes: GitChanges;
  try {
    changes = await collectGitChanges(root, input.git, input.base ? { base: input.base } : {});
  } catch (e) {
    throw new HandoffCreateError('git', `git: ${((e as Error)?.message ?? String(e)).split('\n')[0]}`);
  }
  const name = input.name ?? defaultHandoffName(input.now, changes.branch);
  const relDir = `${config.directory.replace(/\\/g, '/').replace(/^\.\/+|\/+$/g, '')}/${name}`;
  const dir = input.resolveDir ? await input.resolveDir(relDir) : `${root}/${relDir}`;
  const file = `${dir}/${HANDOFF_FILE}`;
  if (!input.overwrite && (await fs.stat(file))) {
    throw new HandoffCreateError('exists', `${relDir}/${HANDOFF_FILE} already exists`, file);
  }
  const files = [...new Set([...(input.files ?? []), ...(await handoffCandidateFiles(fs, root, config, changes.files))])];
  const from = input.from ?? changes.user;
  const text = draftHandoff({
    title: input.title?.trim() || changes.branch || name,
    ...(from ? { from } : {}),
    ...(input.to ? { to: input.to } : {}),
    created: input.now,
    ...(changes.branch ? { branch: changes.branch } : {}),
    files,
    questions: (input.questions ?? []).map(splitQuestion),
    minQuestions: config.minQuestions,
  });
  await fs.writeText(file, text);
  const report = await validateHandoffText(text, { fs, root, config });
  return { name, dir, file, text, files, changes, report };
}
