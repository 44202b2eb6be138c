import { nodeFileSystem, type FileSystem } from '../platform/fileSystem';
import { nodeFileAccess, readFileTool, searchLessonsTool, type LessonSearch, type ToolDefinition } from './tools';

export interface WorkspaceToolsOptions {
  fs: FileSystem;
  /** Workspace folder the model may read in, absolute, '/'-separated. */
  root: string;
  /** The workspace's lessons; the `search_lessons` tool is offered only with it. */
  lessons?: LessonSearch;
}

/**
 * The tools a routed task gets in a workspace, the same in the editor, `llmgenie ask` and MCP `ask`: `read_file`
 * inside the folder (on the real disk also checked by real path, so a symlink cannot lead out) and, when the
 * workspace has a lessons index, `search_lessons`.
 */
export function workspaceTools(opts: WorkspaceToolsOptions): ToolDefinition[] {
  const { fs, root, lessons } = opts;
  return [readFileTool({ fs, root, ...(fs === nodeFileSystem ? nodeFileAccess : {}) }), ...(lessons ? [searchLessonsTool(lessons)] : [])];
}
