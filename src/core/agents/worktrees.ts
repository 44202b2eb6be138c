import { z } from 'zod';
import type { FileSystem } from '../platform/fileSystem';
import type { AgentGit } from './git';
import { runPaths } from './layout';

export const WorktreeEntrySchema = z.object({
  slug: z.string(),
  task: z.string(),
  branch: z.string(),
  /** Absolute, '/'-separated. */
  path: z.string(),
  base: z.string(),
  /** The branch's commit after its last completed step (resume checks the worktree against it). */
  head: z.string(),
  owner: z.object({ run: z.string(), pid: z.number().int(), host: z.string() }),
  removed: z.boolean().default(false),
});
export type WorktreeEntry = z.infer<typeof WorktreeEntrySchema>;

export const ManifestSchema = z.object({
  v: z.literal(1),
  run: z.string(),
  repo: z.string(),
  worktrees: z.array(WorktreeEntrySchema),
});
export type Manifest = z.infer<typeof ManifestSchema>;

export class WorktreeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorktreeError';
  }
}

export async function readManifest(fs: FileSystem, root: string, run: string): Promise<Manifest | undefined> {
  const file = runPaths(root, run).manifest;
  let text: string;
  try {
    text = await fs.readText(file);
  } catch {
    return undefined;
  }
  const parsed = ManifestSchema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new WorktreeError(`the worktree manifest of run ${run} is damaged (${parsed.error.issues[0]?.message})`);
  return parsed.data;
}

/**
 * The run's worktrees, recorded before and after every change so cleanup and resume work from it alone. Writes
 * are serialised (parallel branches update it at the same time).
 */
export class WorktreeManifest {
  private chain: Promise<void> = Promise.resolve();

  private constructor(
    private readonly fs: FileSystem,
    private readonly git: AgentGit,
    private readonly root: string,
    private data: Manifest,
  ) {}

  static async open(fs: FileSystem, git: AgentGit, root: string, run: string): Promise<WorktreeManifest> {
    const data = (await readManifest(fs, root, run)) ?? { v: 1 as const, run, repo: root, worktrees: [] };
    return new WorktreeManifest(fs, git, root, data);
  }

  get entries(): readonly WorktreeEntry[] {
    return this.data.worktrees;
  }

  entry(slug: string): WorktreeEntry | undefined {
    return this.data.worktrees.find((w) => w.slug === slug);
  }

  /**
   * Idempotent: an entry already recorded and present on disk is returned as is; a recorded branch without its
   * folder gets the folder back; a folder that git does not know as this branch's worktree is never overwritten.
   */
  async ensure(input: { slug: string; task: string; base: string; owner: WorktreeEntry['owner'] }): Promise<WorktreeEntry> {
    const paths = runPaths(this.root, this.data.run);
    const branch = `llmgenie/${this.data.run}/${input.slug}`;
    const path = `${paths.worktreesDir}/${input.slug}`;
    const known = (await this.git.listWorktrees(this.root)).find((w) => w.path === path);
    const existing = this.entry(input.slug);
    if (known) {
      if (known.branch !== branch) throw new WorktreeError(`${path} is a worktree of ${known.branch ?? 'a detached HEAD'}, not ${branch}`);
      if (existing) return existing;
    } else {
      const stat = await this.fs.stat(path);
      if (stat) {
        const inside = stat.kind === 'directory' ? await this.fs.readDir(path) : [{ name: path }];
        if (inside.length) throw new WorktreeError(`${path} exists and is not this run's worktree; move it away or run "llmgenie agents clean"`);
        await this.fs.remove(path); // an empty orphan folder would block `git worktree add`
      }
      const hasBranch = await this.git.branchExists(this.root, branch);
      await this.git.addWorktree(this.root, path, branch, input.base, !hasBranch);
    }
    const head = await this.git.head(path);
    const entry: WorktreeEntry = existing ?? { slug: input.slug, task: input.task, branch, path, base: input.base, head, owner: input.owner, removed: false };
    if (!existing) this.data.worktrees.push(entry);
    else Object.assign(entry, { removed: false });
    await this.save();
    return entry;
  }

  async setHead(slug: string, head: string): Promise<void> {
    const e = this.entry(slug);
    if (!e) throw new WorktreeError(`no worktree "${slug}" in run ${this.data.run}`);
    e.head = head;
    await this.save();
  }

  /** Removes clean worktrees (never their branches); keeps any with uncommitted work and says why. */
  async clean(): Promise<Array<{ slug: string; path: string; removed: boolean; reason?: string }>> {
    const out: Array<{ slug: string; path: string; removed: boolean; reason?: string }> = [];
    for (const e of this.data.worktrees) {
      if (e.removed) {
        out.push({ slug: e.slug, path: e.path, removed: true, reason: 'already removed' });
        continue;
      }
      if (!(await this.fs.stat(e.path))) {
        e.removed = true;
        out.push({ slug: e.slug, path: e.path, removed: true, reason: 'folder was already gone' });
        continue;
      }
      const dirty = await this.git.dirtyFiles(e.path).catch(() => undefined);
      if (dirty === undefined) {
        out.push({ slug: e.slug, path: e.path, removed: false, reason: 'git cannot read it; left alone' });
        continue;
      }
      if (dirty.length) {
        out.push({ slug: e.slug, path: e.path, removed: false, reason: `kept: ${dirty.length} uncommitted file(s) (${dirty.slice(0, 3).join(', ')})` });
        continue;
      }
      await this.git.removeWorktree(this.root, e.path);
      e.removed = true;
      out.push({ slug: e.slug, path: e.path, removed: true });
    }
    await this.save();
    return out;
  }

  private save(): Promise<void> {
    const text = `${JSON.stringify(this.data, null, 2)}\n`;
    const next = this.chain.then(() => this.fs.writeText(runPaths(this.root, this.data.run).manifest, text));
    this.chain = next.catch(() => undefined);
    return next;
  }
}
