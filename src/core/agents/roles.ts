import { z } from 'zod';
import type { FileSystem } from '../platform/fileSystem';
import { readRuleFrontMatter } from '../rules/frontMatter';
import { DEFAULT_ROLE_FILES } from './defaultRoles';

/** Where a workspace overrides a role: `.llmgenie/agents/<role>.md`. */
export const ROLES_DIR = '.llmgenie/agents';
export const ROLE_NAMES = ['coder', 'librarian', 'reviewer'] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

/** The tools a role may be given; the coder's are defined in coderTools.ts, once. */
export const ROLE_TOOLS = ['read_file', 'list_files', 'search_files', 'write_file', 'apply_diff', 'run_check'] as const;

export const RoleSchema = z.object({
  name: z.enum(ROLE_NAMES),
  description: z.string().min(1).max(300),
  /** Where the role's model calls go: `auto` lets the router's classifier decide (and escalate). */
  route: z.enum(['auto', 'local', 'cloud']).default('auto'),
  tools: z.array(z.enum(ROLE_TOOLS)).default([]),
  /** Model calls per step, tool rounds included (the router's tool-loop limit). */
  maxRounds: z.number().int().min(1).max(16).default(4),
  /** The body: the role's system prompt. */
  prompt: z.string().min(20, 'the system prompt (the body after the front matter) is missing or too short'),
});
export type Role = z.infer<typeof RoleSchema>;

export interface LoadedRole {
  role: Role;
  /** 'shipped' or the workspace-relative override file. */
  source: string;
}

export class RoleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RoleError';
  }
}

/** Parses one role file (front matter + body) with the shared front-matter reader. Throws RoleError with one line. */
export function parseRole(text: string, file: string): Role {
  const doc = readRuleFrontMatter(text);
  if (!doc.hasFrontMatter) throw new RoleError(`${file}: no front matter (start the file with --- name: … ---)`);
  if (doc.issues.length) throw new RoleError(`${file}:${doc.issues[0]!.line + 1}: ${doc.issues[0]!.message}`);
  const fields: Record<string, unknown> = {};
  for (const e of doc.entries) fields[e.key] = e.value;
  const parsed = RoleSchema.safeParse({ ...fields, prompt: doc.body.trim() });
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new RoleError(`${file}: ${i.path.join('.') || 'role'}: ${i.message}`);
  }
  return parsed.data;
}

/** The three roles, each from the workspace override when there is one, else the shipped default. */
export async function loadRoles(fs: FileSystem, root: string): Promise<Record<RoleName, LoadedRole>> {
  const out = {} as Record<RoleName, LoadedRole>;
  for (const name of ROLE_NAMES) {
    const rel = `${ROLES_DIR}/${name}.md`;
    let text: string | undefined;
    try {
      text = await fs.readText(`${root.replace(/\/+$/, '')}/${rel}`);
    } catch {
      text = undefined;
    }
    const role = text !== undefined ? parseRole(text, rel) : parseRole(DEFAULT_ROLE_FILES[name], `shipped ${name}.md`);
    if (role.name !== name) throw new RoleError(`${rel}: name is "${role.name}" but the file is for the ${name}`);
    out[name] = { role, source: text !== undefined ? rel : 'shipped' };
  }
  return out;
}
