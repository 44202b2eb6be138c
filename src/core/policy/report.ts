import { redactSecrets } from './redact';
import type { Finding, RuleDescriptor, Severity, TreeResult } from './types';

/** Messages are built masked; user-written rule messages pass through the redactor too, so output never leaks. */
export const safeMessage = (m: string): string => redactSecrets(m).text;

export interface Summary {
  readonly files: number;
  readonly findings: number;
  readonly bySeverity: Record<Severity, number>;
  readonly byRule: Record<string, number>;
  readonly skipped: number;
  readonly baselined: number;
}

export function summarize(result: TreeResult): Summary {
  const bySeverity: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  const byRule: Record<string, number> = {};
  for (const f of result.findings) {
    bySeverity[f.severity]++;
    byRule[f.ruleId] = (byRule[f.ruleId] ?? 0) + 1;
  }
  return { files: result.files, findings: result.findings.length, bySeverity, byRule, skipped: result.skipped.length, baselined: result.baselined };
}

/** `file:line:col: severity [rule] message`, 1-based like compilers print, then skipped files and a summary. */
export function formatText(result: TreeResult): string {
  const lines: string[] = [];
  for (const f of result.findings) {
    const where = f.file ? `${f.file}:${f.range.startLine + 1}:${f.range.startColumn + 1}` : '(repository)';
    lines.push(`${where}: ${f.severity} [${f.ruleId}] ${safeMessage(f.message)}${f.fix ? ` (fix: ${f.fix.title})` : ''}`);
  }
  for (const s of result.skipped) lines.push(`note: skipped ${s.file}: ${s.reason}`);
  const s = summarize(result);
  const parts = [`${s.files} file${s.files === 1 ? '' : 's'} checked`, `${s.bySeverity.error} error${s.bySeverity.error === 1 ? '' : 's'}`, `${s.bySeverity.warning} warning${s.bySeverity.warning === 1 ? '' : 's'}`];
  if (s.bySeverity.info + s.bySeverity.hint) parts.push(`${s.bySeverity.info + s.bySeverity.hint} notes`);
  if (s.skipped) parts.push(`${s.skipped} skipped`);
  if (s.baselined) parts.push(`${s.baselined} in baseline`);
  lines.push(parts.join(', '));
  return `${lines.join('\n')}\n`;
}

export function formatJson(result: TreeResult, rules: readonly RuleDescriptor[]): string {
  const findings = result.findings.map((f) => ({ ...f, message: safeMessage(f.message) }));
  return `${JSON.stringify({ version: 1, rules, findings, skipped: result.skipped, summary: summarize(result) }, null, 2)}\n`;
}

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}
