import { safeMessage } from './report';
import type { Finding, RuleDescriptor, Severity, TreeResult } from './types';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

/** Percent-encodes each segment of a relative path, keeping '/' (SARIF URIs are RFC 3986 URI references). */
export function relativeUri(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

/**
 * SARIF 2.1.0 for code scanning upload (e.g. GitHub's upload-sarif). Locations are relative to `%SRCROOT%`,
 * lines and columns 1-based, columns in UTF-16 code units like the editor's.
 */
export function toSarif(result: TreeResult, rules: readonly RuleDescriptor[], toolVersion = '0.1.0'): object {
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'llmgenie',
            version: toolVersion,
            rules: rules.map((r) => ({
              id: r.id,
              name: r.name,
              shortDescription: { text: r.name },
              fullDescription: { text: r.description },
              defaultConfiguration: { level: LEVEL[r.severity] },
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The checked workspace root' } } },
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: [
              // Repository-level findings (branch policy) have no file, and code-scanning upload rejects a
              // result without a location; they are reported here, tied to their rule.
              ...result.findings
                .filter((f) => !f.file)
                .map((f) => ({
                  level: LEVEL[f.severity],
                  message: { text: safeMessage(f.message) },
                  associatedRule: { id: f.ruleId, ...(ruleIndex.has(f.ruleId) ? { index: ruleIndex.get(f.ruleId) } : {}) },
                })),
              ...result.skipped.map((s) => ({
                level: 'note',
                message: { text: `skipped: ${s.reason}` },
                locations: [{ physicalLocation: { artifactLocation: { uri: relativeUri(s.file), uriBaseId: '%SRCROOT%' } } }],
              })),
            ],
          },
        ],
        results: result.findings.filter((f) => f.file).map((f) => toResult(f, ruleIndex.get(f.ruleId))),
      },
    ],
  };
}

function toResult(f: Finding, index: number | undefined): object {
  const r = f.range;
  return {
    ruleId: f.ruleId,
    ...(index !== undefined ? { ruleIndex: index } : {}),
    level: LEVEL[f.severity],
    message: { text: safeMessage(f.message) },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: relativeUri(f.file), uriBaseId: '%SRCROOT%' },
          region: { startLine: r.startLine + 1, startColumn: r.startColumn + 1, endLine: r.endLine + 1, endColumn: r.endColumn + 1 },
        },
      },
    ],
    partialFingerprints: { 'llmgenie/v1': f.fingerprint },
    ...(f.fix ? { fixes: [toFix(f)] } : {}),
  };
}

function toFix(f: Finding): object {
  return {
    description: { text: f.fix!.title },
    artifactChanges: [
      {
        artifactLocation: { uri: relativeUri(f.file), uriBaseId: '%SRCROOT%' },
        replacements: f.fix!.edits.map((e) => ({
          deletedRegion: { startLine: e.range.startLine + 1, startColumn: e.range.startColumn + 1, endLine: e.range.endLine + 1, endColumn: e.range.endColumn + 1 },
          insertedContent: { text: e.newText },
        })),
      },
    ],
  };
}

export function formatSarif(result: TreeResult, rules: readonly RuleDescriptor[], toolVersion?: string): string {
  return `${JSON.stringify(toSarif(result, rules, toolVersion), null, 2)}\n`;
}
