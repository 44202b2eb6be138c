import { parse as parseJsonc } from 'jsonc-parser';
import { z } from 'zod';
import type { FileSystem } from '../platform/fileSystem';

/** The `llmgenie.lessons.*` folder settings, resolved to absolute '/'-separated paths. */
export interface LessonSettings {
  dir: string;
  docsDir: string;
}

export const LESSON_SETTING_KEYS = {
  dir: 'llmgenie.lessons.dir',
  docsDir: 'llmgenie.lessons.docsDir',
} as const;

const raw = z.object({
  [LESSON_SETTING_KEYS.dir]: z.string().trim().min(1).optional().catch(undefined),
  [LESSON_SETTING_KEYS.docsDir]: z.string().trim().min(1).optional().catch(undefined),
});

/** Relative values are under the workspace root, absolute ones are kept, as the editor resolves them. */
export function lessonSettingsFrom(root: string, values: Record<string, unknown>): LessonSettings {
  const base = root.replace(/\\/g, '/').replace(/\/+$/, '') || '/';
  const v = raw.parse(values);
  const resolve = (p: string | undefined, fallback: string) => {
    const posix = (p ?? fallback).replace(/\\/g, '/').replace(/\/+$/, '');
    return posix.startsWith('/') || /^[a-z]:\//i.test(posix) ? posix : `${base}/${posix.replace(/^\.\//, '')}`;
  };
  return { dir: resolve(v[LESSON_SETTING_KEYS.dir], 'docs/lessons'), docsDir: resolve(v[LESSON_SETTING_KEYS.docsDir], 'docs') };
}

/**
 * Headless callers (MCP) read the workspace's `.vscode/settings.json` so they keep lessons where the editor does.
 * A missing or broken settings file, or a value of the wrong type, means the defaults.
 */
export async function readWorkspaceLessonSettings(fs: FileSystem, root: string): Promise<LessonSettings> {
  let values: Record<string, unknown> = {};
  try {
    const parsed: unknown = parseJsonc(await fs.readText(`${root.replace(/\/+$/, '')}/.vscode/settings.json`));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) values = parsed as Record<string, unknown>;
  } catch {
    // no settings file: defaults
  }
  return lessonSettingsFrom(root, values);
}
