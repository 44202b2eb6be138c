import { z } from 'zod';
import type { FileSystem } from '../platform/fileSystem';
import { DEFAULT_SKIP_DIRS, walkFiles } from '../platform/fileSystem';
import { confineWorkspaceArgument, WorkspacePathError } from '../platform/workspacePath';
import { defineTool, readFileTool, resolveInWorkspace, type RealPath, type ToolDefinition } from '../router/tools';
import type { CheckResult } from './schemas';

export interface CoderToolOptions {
  fs: FileSystem;
  /** The coder's worktree: absolute, '/'-separated. Every path is confined to it. */
  root: string;
  /** Resolves symlinks (fs.promises.realpath on disk): writes must land under the worktree's real path. */
  realpath: RealPath;
  /** Applies a patch file inside the worktree (git apply). */
  applyPatch(patchFile: string): Promise<void>;
  /** Where patch files are written (outside the worktree). */
  scratchDir: string;
  /** The workspace's check command, already accepted; the model cannot pass another. Undefined: not configured. */
  runCheck?: (signal?: AbortSignal) => Promise<CheckResult>;
  /** Called with each workspace-relative path the model wrote. */
  onWrite?: (path: string) => void;
}

const toPosix = (p: string) => p.replace(/\\/g, '/').replace(/\/+$/, '');
const SKIP = new Set([...DEFAULT_SKIP_DIRS, '.llmgenie']);

/**
 * The target of a write, checked twice: lexically (no absolute path, no `..` out of the root, not into `.git`)
 * and by real path (the nearest existing parent must resolve inside the worktree, so a symlink cannot lead out).
 */
export async function confinedTarget(o: Pick<CoderToolOptions, 'fs' | 'root' | 'realpath'>, rel: string): Promise<string> {
  const abs = resolveInWorkspace(o.root, rel);
  if (!abs) throw new Error(`refused: "${rel}" is not a path inside the worktree`);
  const relClean = abs.slice(o.root.replace(/\/+$/, '').length + 1);
  if (relClean === '.git' || relClean.startsWith('.git/')) throw new Error(`refused: "${rel}" is inside .git`);
  // The same real-path check as every other path argument (platform/workspacePath), in the worktree's words.
  await confineWorkspaceArgument(o.root, relClean, { realpath: o.realpath }).catch((e: unknown) => {
    throw new Error(e instanceof WorkspacePathError && /symbolic link/.test(e.message) ? `refused: "${rel}" leads outside the worktree (symbolic link)` : `refused: "${rel}" is not a path inside the worktree`);
  });
  return abs;
}

/** Paths a unified diff touches (`--- a/x`, `+++ b/x`), without the a/ b/ prefixes; /dev/null left out. */
export function diffPaths(patch: string): string[] {
  const out = new Set<string>();
  for (const line of patch.split('\n')) {
    const m = /^(?:---|\+\+\+) (?:"?)([^\t"]+)/.exec(line);
    if (!m || m[1] === '/dev/null') continue;
    out.add(m[1]!.replace(/^[ab]\//, ''));
  }
  return [...out];
}

export function coderTools(o: CoderToolOptions): ToolDefinition[] {
  let patches = 0;
  const root = toPosix(o.root);
  const read = readFileTool({ fs: o.fs, root, realpath: o.realpath });
  const list = defineTool({
    name: 'list_files',
    description: 'List the files of the worktree (or of one folder in it), relative paths, at most 500.',
    input: z.object({ dir: z.string().optional().describe('Folder relative to the worktree root; default the root') }),
    async run({ dir }) {
      const base = dir && dir !== '.' ? resolveInWorkspace(root, dir) : root;
      if (!base) throw new Error(`refused: "${dir}" is not a folder inside the worktree`);
      const files: string[] = [];
      for await (const f of walkFiles(o.fs, base, () => true, SKIP)) {
        files.push(f.slice(root.length + 1));
        if (files.length >= 500) break;
      }
      return files.length ? files.sort().join('\n') : '(no files)';
    },
  });
  const search = defineTool({
    name: 'search_files',
    description: 'Search the worktree for a text (case-insensitive, literal). Returns up to 50 "path:line: text" matches.',
    input: z.object({ query: z.string().min(1).max(200) }),
    async run({ query }) {
      const needle = query.toLowerCase();
      const hits: string[] = [];
      for await (const f of walkFiles(o.fs, root, () => true, SKIP)) {
        const stat = await o.fs.stat(f);
        if (!stat || stat.size > 512 * 1024) continue;
        const text = await o.fs.readText(f).catch(() => '');
        if (text.includes('\0')) continue;
        text.split('\n').forEach((line, i) => {
          if (hits.length < 50 && line.toLowerCase().includes(needle)) hits.push(`${f.slice(root.length + 1)}:${i + 1}: ${line.trim().slice(0, 200)}`);
        });
        if (hits.length >= 50) break;
      }
      return hits.length ? hits.join('\n') : `no match for "${query}"`;
    },
  });
  const write = defineTool({
    name: 'write_file',
    description: 'Create or replace a text file in the worktree with the given content.',
    input: z.object({ path: z.string().min(1), content: z.string().max(1_000_000) }),
    async run({ path, content }) {
      const abs = await confinedTarget(o, path);
      await o.fs.writeText(abs, content);
      o.onWrite?.(abs.slice(root.length + 1));
      return `wrote ${abs.slice(root.length + 1)} (${content.length} characters)`;
    },
  });
  const diff = defineTool({
    name: 'apply_diff',
    description: 'Apply a unified diff (git format, paths relative to the worktree root) to the worktree.',
    input: z.object({ diff: z.string().min(1).max(1_000_000) }),
    async run({ diff: patch }) {
      const paths = diffPaths(patch);
      if (!paths.length) throw new Error('not a unified diff: no "--- a/…" / "+++ b/…" file headers');
      for (const p of paths) await confinedTarget(o, p);
      const file = `${o.scratchDir}/patch-${Date.now()}-${++patches}.diff`;
      await o.fs.writeText(file, patch.endsWith('\n') ? patch : `${patch}\n`);
      try {
        await o.applyPatch(file);
      } catch (e) {
        throw new Error(`the diff does not apply: ${(e as Error).message}`);
      } finally {
        await o.fs.remove(file).catch(() => undefined);
      }
      for (const p of paths) o.onWrite?.(p);
      return `applied to ${paths.join(', ')}`;
    },
  });
  const check = defineTool({
    name: 'run_check',
    description: "Run the workspace's check command (configured by the team, e.g. its tests) in the worktree and return its result.",
    input: z.object({}),
    async run(_input, signal) {
      if (!o.runCheck) return 'no check command is configured for this workspace (llmgenie.agents.checkCommand); nothing was run';
      const r = await o.runCheck(signal);
      return `${r.command}: ${r.status}${r.exitCode !== null ? ` (exit ${r.exitCode})` : ''} in ${Math.round(r.ms)} ms\n${r.output}`;
    },
  });
  return [read, list, search, write, diff, check];
}
