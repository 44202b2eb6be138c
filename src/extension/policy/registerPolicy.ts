import * as vscode from 'vscode';
import type { Finding } from '../../core/policy/types';
import type { RulesDiagnostics } from '../rules/rulesDiagnostics';
import type { ExtensionServices } from '../services';
import { getEditorSessions } from '../sessions/editorSession';
import { BranchStatus } from './branchStatus';
import { acceptIntoBaseline, ACCEPT_BASELINE, OPEN_RULE, openRule, PolicyCodeActions } from './policyCodeActions';
import { PolicyDiagnostics } from './policyDiagnostics';
import { PolicyEngines } from './policyEngines';
import { PolicyFileWatcher } from './policyFileWatcher';
import { WorkspaceScan } from './workspaceScan';

export const CHECK_WORKSPACE = 'llmgenie.policy.checkWorkspace';

/** How long after activation the background work starts: the editor settles first. */
const BRANCH_START_MS = 1500;
const SCAN_START_MS = 3000;
/** Re-scan delay after the rules, settings or baseline change, so a burst of changes gives one scan. */
const RESCAN_MS = 800;

/**
 * Policy in the editor: always-on diagnostics for open documents, a background workspace scan, quick fixes,
 * branch status. Activation only registers; nothing is read from disk until the rules registry's first lint,
 * and the scan and the git extension start a few seconds later.
 */
export function registerPolicy(services: ExtensionServices, rules: RulesDiagnostics): void {
  const engines = services.track(new PolicyEngines(services, rules));
  const diagnostics = services.track(new PolicyDiagnostics(services, engines));
  const scan = services.track(
    new WorkspaceScan(services, engines, diagnostics, {
      sinkFor: (root) => getEditorSessions(services).sinkFor(root),
      hasLiveSession: (root) => getEditorSessions(services).folderFor(root)?.liveSessionId !== undefined,
    }),
  );
  const branch = services.track(new BranchStatus(services, engines, diagnostics));
  services.track(new PolicyFileWatcher(services, diagnostics, { rescan: () => scan.schedule(RESCAN_MS) }));

  services.track(
    vscode.languages.registerCodeActionsProvider({ scheme: 'file' }, new PolicyCodeActions(engines, diagnostics), {
      providedCodeActionKinds: PolicyCodeActions.kinds,
    }),
  );
  services.command(CHECK_WORKSPACE, () => scan.run(true));
  services.command(OPEN_RULE, (ruleId?: unknown, folder?: unknown) => openRule(engines, ruleId, folder));
  services.command(ACCEPT_BASELINE, (folder?: unknown, finding?: Finding) => acceptIntoBaseline(services, engines, diagnostics, folder, finding));

  let firstBuild = true;
  let folders = new Map<string, { root: string; prefix: string }>();
  services.track(
    engines.onDidChange(() => {
      const now = new Map(engines.all().map((p) => [p.root, { root: p.root, prefix: p.prefix }]));
      diagnostics.forgetFolders([...folders.entries()].filter(([root]) => !now.has(root)).map(([, f]) => f));
      folders = now;
      diagnostics.lintOpenDocuments();
      // The first build only lints what is open; the first scan has its own timer (and waits for the engines).
      if (!firstBuild) scan.schedule(RESCAN_MS);
      firstBuild = false;
    }),
  );
  const branchTimer = setTimeout(() => void branch.start(), BRANCH_START_MS);
  scan.schedule(SCAN_START_MS);
  services.track({ dispose: () => clearTimeout(branchTimer) });
}
