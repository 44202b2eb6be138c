// One routing configuration for the three faces: the editor reads `llmgenie.router.*` through VS Code, the CLI
// (`llmgenie route`) and the MCP server read the same keys from the workspace's `.vscode/settings.json`, and all
// three hand them to decideRoute the same way, so one task gets one route wherever it is asked.
import { parse as parseJsonc } from 'jsonc-parser';
import type { FileSystem } from '../platform/fileSystem';
import { decideRoute, type RouteDecision, type RouteOverride, type RouterMode } from './classifier';
import { editorRouterConfig, type RouterSettingKey } from './editorConfig';
import type { RoutingTask } from './features';

export interface RoutingConfig {
  mode: RouterMode;
  /** Per-command routes in Auto mode, command names in lower case. */
  overrides: Record<string, RouteOverride>;
  /** Cloud threshold; undefined means the shipped model's cost-sensitive default. */
  threshold?: number;
  /** One line per `llmgenie.router.*` value that was ignored. */
  problems: string[];
}

/** From a flat settings object (settings.json shape: `"llmgenie.router.mode": "auto"`). */
export function routingConfigFrom(values: Record<string, unknown>): RoutingConfig {
  const c = editorRouterConfig((key: RouterSettingKey) => values[`llmgenie.${key}`], {});
  return {
    mode: c.router.mode,
    overrides: c.router.overrides,
    ...(c.cloudThreshold !== undefined ? { threshold: c.cloudThreshold } : {}),
    problems: c.problems.filter((p) => p.startsWith('llmgenie.router.')),
  };
}

/** The workspace's `.vscode/settings.json`, as the editor would apply it; missing or broken means the defaults. */
export async function readWorkspaceRoutingConfig(fs: FileSystem, root: string): Promise<RoutingConfig> {
  let values: Record<string, unknown> = {};
  try {
    const parsed: unknown = parseJsonc(await fs.readText(`${root.replace(/\/+$/, '')}/.vscode/settings.json`));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) values = parsed as Record<string, unknown>;
  } catch {
    // no settings file: defaults
  }
  return routingConfigFrom(values);
}

/** The route a face gives a task under a configuration (a forced mode on the command line replaces `mode`). */
export function routeWithConfig(task: RoutingTask, config: Pick<RoutingConfig, 'mode' | 'overrides' | 'threshold'>): RouteDecision {
  return decideRoute(task, config.mode, config.overrides, config.threshold !== undefined ? { threshold: config.threshold } : undefined);
}
