import * as vscode from 'vscode';
import { nodeFileSystem } from '../../core/platform/fileSystem';
import { BaselineError, parseBaseline, serializeBaseline, type Baseline } from '../../core/policy/baseline';
import { addToBaseline } from '../../core/policy/baselineAccept';
import type { Finding, TextEdit } from '../../core/policy/types';
import type { ExtensionServices } from '../services';
import { keyOf, type FolderPolicy, type PolicyEngines } from './policyEngines';
import { policyRuleIdOf, type PolicyDiagnostics } from './policyDiagnostics';
import { count } from '../../core/text/plural';

export const OPEN_RULE = 'llmgenie.policy.openRule';
export const ACCEPT_BASELINE = 'llmgenie.policy.acceptBaseline';
export const ALLOW_TITLE = 'Allow this line (llmgenie-allow)';

/**
 * Quick fixes for our own policy diagnostics only: the finding's fix (preferred), "allow this line", open the
 * rule, accept into the baseline. Fixes are computed on the document as it is now, not as it was at the last
 * (debounced) lint, so an edit never lands on a stale range.
 */
export class PolicyCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(
    private readonly engines: PolicyEngines,
    private readonly diagnostics: PolicyDiagnostics,
  ) {}

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, ctx: vscode.CodeActionContext): vscode.CodeAction[] {
    const at = this.engines.forUri(doc.uri);
    if (!at) return [];
    const known = new Set(at.policy.engine.rules.map((r) => r.id));
    const ours = ctx.diagnostics.filter((d) => policyRuleIdOf(d, known));
    if (!ours.length) return [];
    const current = this.diagnostics.findingsOf(doc)?.findings ?? [];
    const placed = this.diagnostics.placedAt(keyOf(doc.uri));
    const fixes: vscode.CodeAction[] = [];
    const others: vscode.CodeAction[] = [];
    const seen = new Set<string>();
    const once = (id: string) => !seen.has(id) && Boolean(seen.add(id));
    for (const d of ours) {
      const ruleId = policyRuleIdOf(d, known)!;
      const finding = current.find((f) => f.ruleId === ruleId && f.range.startLine === d.range.start.line && f.range.startColumn === d.range.start.character);
      if (finding) {
        if (finding.fix && once(`fix:${finding.fingerprint}:${finding.range.startLine}`)) {
          const a = new vscode.CodeAction(finding.fix.title, vscode.CodeActionKind.QuickFix);
          a.edit = toWorkspaceEdit(doc.uri, finding.fix.edits);
          a.diagnostics = [d];
          a.isPreferred = true;
          fixes.push(a);
        }
        const allow = at.policy.engine.allowFix(finding, doc.getText());
        if (allow && once(`allow:${ruleId}:${finding.range.startLine}`)) {
          const sameLine = ours.filter((x) => x.range.start.line === d.range.start.line).length > 1;
          const a = new vscode.CodeAction(sameLine ? `${ALLOW_TITLE} for rule ${ruleId}` : ALLOW_TITLE, vscode.CodeActionKind.QuickFix);
          a.edit = toWorkspaceEdit(doc.uri, allow.edits);
          a.diagnostics = [d];
          others.push(a);
        }
        if (once(`accept:${finding.fingerprint}`)) {
          const a = new vscode.CodeAction('Accept into baseline', vscode.CodeActionKind.QuickFix);
          a.command = { command: ACCEPT_BASELINE, title: a.title, arguments: [at.policy.folder.uri.toString(), finding] };
          a.diagnostics = [d];
          others.push(a);
        }
      } else if (placed.some((p) => p.finding.ruleId === ruleId && p.range.isEqual(d.range)) && once('branch')) {
        const a = new vscode.CodeAction('Create a feature branch (Git: Create Branch…)', vscode.CodeActionKind.QuickFix);
        a.command = { command: 'git.branch', title: a.title };
        a.diagnostics = [d];
        a.isPreferred = true;
        fixes.push(a);
      }
      if (this.engines.ruleFile(at.policy, ruleId) && keyOf(this.engines.ruleFile(at.policy, ruleId)!) !== keyOf(doc.uri) && once(`open:${ruleId}`)) {
        const a = new vscode.CodeAction(`Open rule ${ruleId}`, vscode.CodeActionKind.QuickFix);
        a.command = { command: OPEN_RULE, title: a.title, arguments: [ruleId, at.policy.folder.uri.toString()] };
        a.diagnostics = [d];
        others.push(a);
      }
    }
    return [...fixes, ...others];
  }
}

function toWorkspaceEdit(uri: vscode.Uri, edits: readonly TextEdit[]): vscode.WorkspaceEdit {
  const we = new vscode.WorkspaceEdit();
  for (const e of edits) we.replace(uri, new vscode.Range(e.range.startLine, e.range.startColumn, e.range.endLine, e.range.endColumn), e.newText);
  return we;
}

/** Opens the rule file of `ruleId` in the folder (or the only folder); built-in packs without a file say so. */
export async function openRule(engines: PolicyEngines, ruleId: unknown, folderUri?: unknown): Promise<void> {
  if (typeof ruleId !== 'string') return;
  const policy = engines.all().find((p) => p.folder.uri.toString() === folderUri) ?? engines.all()[0];
  const file = policy && engines.ruleFile(policy, ruleId);
  if (file) {
    await vscode.window.showTextDocument(file, { preview: false });
    return;
  }
  void vscode.window.showInformationMessage(`llmgenie: Rule ${ruleId} is a built-in policy pack; register a rule file for it in rules_manifest.json to document it for the team.`);
}

/**
 * Writes accepted findings into the folder's `.llmgenie/policy-baseline.json` (fingerprints only, safe to commit).
 * With a finding (from the quick fix): that one. Without (from the palette): every finding shown for the folder,
 * after a confirmation.
 */
export async function acceptIntoBaseline(
  services: ExtensionServices,
  engines: PolicyEngines,
  diagnostics: PolicyDiagnostics,
  folderUri?: unknown,
  finding?: Finding,
): Promise<void> {
  let policy: FolderPolicy | undefined;
  let findings: Finding[];
  if (typeof folderUri === 'string' && finding) {
    policy = engines.all().find((p) => p.folder.uri.toString() === folderUri);
    findings = [finding];
  } else {
    policy = await pickFolder(engines);
    if (!policy) return;
    findings = diagnostics.findingsIn(policy);
    if (!findings.length) {
      void vscode.window.showInformationMessage(`llmgenie: ${policy.folder.name} has no policy findings to accept.`);
      return;
    }
    const errors = findings.filter((f) => f.severity === 'error').length;
    const ok = await vscode.window.showWarningMessage(
      `Accept ${findings.length === 1 ? 'the 1 policy finding' : `all ${count(findings.length, 'policy finding')}`} (${count(errors, 'error')}) of ${policy.folder.name} into .llmgenie/policy-baseline.json? They will no longer be reported.`,
      { modal: true },
      'Accept',
    );
    if (ok !== 'Accept') return;
  }
  if (!policy) return;
  let previous: Baseline | undefined;
  try {
    if ((await nodeFileSystem.stat(policy.baselineFile))?.kind === 'file') previous = parseBaseline(await nodeFileSystem.readText(policy.baselineFile));
  } catch (e) {
    const why = e instanceof BaselineError ? e.message : String(e);
    void vscode.window.showErrorMessage(`llmgenie: Cannot update ${policy.baselineFile}: ${why}`);
    return;
  }
  const { baseline, added } = addToBaseline(previous, findings);
  try {
    await nodeFileSystem.writeText(policy.baselineFile, serializeBaseline(baseline));
  } catch (e) {
    services.reportError('policy-baseline-write', `could not write ${policy.baselineFile}`, e);
    return;
  }
  services.log.info(`policy: accepted ${count(added, 'finding')} into ${policy.baselineFile} (${baseline.findings.length} in total)`);
  vscode.window.setStatusBarMessage(`$(check) llmgenie: ${added} finding${added === 1 ? '' : 's'} accepted into .llmgenie/policy-baseline.json`, 5000);
  await engines.rebuild();
}

async function pickFolder(engines: PolicyEngines): Promise<FolderPolicy | undefined> {
  const all = engines.all();
  if (!all.length) {
    void vscode.window.showInformationMessage('llmgenie: Open a folder to accept its policy findings.');
    return undefined;
  }
  const active = vscode.window.activeTextEditor && engines.forUri(vscode.window.activeTextEditor.document.uri)?.policy;
  if (all.length <= 1 || active) return active ?? all[0];
  const picked = await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Accept the policy findings of which folder?' });
  return picked && all.find((p) => p.folder.uri.toString() === picked.uri.toString());
}
