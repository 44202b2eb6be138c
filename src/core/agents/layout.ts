import type { FileSystem } from '../platform/fileSystem';

/** Everything an agent run leaves in the workspace, under one folder that ignores itself in git. */
export const AGENTS_STATE_DIR = '.llmgenie/agents';

export interface RunPaths {
  dir: string;
  journal: string;
  manifest: string;
  /** The run's latest state for the faces (CLI status, Sessions tree, MCP): rewritten after every step. */
  summary: string;
  /** Written by `agents cancel` for the process that runs it. */
  cancelFlag: string;
  owner: string;
  worktreesDir: string;
}

const clean = (root: string) => root.replace(/\\/g, '/').replace(/\/+$/, '');

export function runsDir(root: string): string {
  return `${clean(root)}/${AGENTS_STATE_DIR}/runs`;
}

export function runPaths(root: string, run: string): RunPaths {
  const dir = `${runsDir(root)}/${run}`;
  return {
    dir,
    journal: `${dir}/journal.jsonl`,
    manifest: `${dir}/manifest.json`,
    summary: `${dir}/run.json`,
    cancelFlag: `${dir}/cancel`,
    owner: `${dir}/owner.json`,
    worktreesDir: `${clean(root)}/${AGENTS_STATE_DIR}/worktrees/${run}`,
  };
}

/** `runs/` and `worktrees/` each hold a `.gitignore` of `*`, so the user's repository never sees them. */
export async function ensureIgnored(fs: FileSystem, root: string): Promise<void> {
  for (const sub of ['runs', 'worktrees']) {
    const file = `${clean(root)}/${AGENTS_STATE_DIR}/${sub}/.gitignore`;
    if (!(await fs.stat(file))) await fs.writeText(file, '# llmgenie agent runs: local state, never committed\n*\n');
  }
}

/** Sortable, readable, unique enough: `20261202-101500-k3f9`. */
export function makeRunId(now: Date, rand: string): string {
  const iso = now.toISOString();
  return `${iso.slice(0, 10).replace(/-/g, '')}-${iso.slice(11, 19).replace(/:/g, '')}-${rand.toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 4) || '0000'}`;
}

/** `Add a clamp helper with tests` → `add-a-clamp-helper-with-tests`; unique within `taken`. */
export function slugFor(task: string, taken: ReadonlySet<string>): string {
  const base =
    task
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40)
      .replace(/-+$/, '') || 'task';
  let slug = base;
  for (let i = 2; taken.has(slug); i++) slug = `${base}-${i}`;
  return slug;
}

export async function listRunIds(fs: FileSystem, root: string): Promise<string[]> {
  try {
    const entries = await fs.readDir(runsDir(root));
    return entries.filter((e) => e.kind === 'directory').map((e) => e.name).sort().reverse();
  } catch {
    return [];
  }
}
