import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { summarize, safeMessage } from '../core/policy/report';
import { MissingPathError } from '../core/policy/tree';
import type { Finding, TreeResult } from '../core/policy/types';
import { ToolError, registerTool } from './toolResult';
import type { McpWorkspace } from './workspace';

/** More findings than this are counted in the summary but not listed: an agent cannot use thousands. */
export const MAX_LISTED_FINDINGS = 200;
const MAX_TEXT_CHARS = 2 * 1024 * 1024;

/** VS Code language ids (and plain extensions) → a file name, so the packs' file-type globs apply to a snippet. */
const EXTENSIONS: Record<string, string> = {
  typescript: 'ts',
  typescriptreact: 'tsx',
  javascript: 'js',
  javascriptreact: 'jsx',
  python: 'py',
  shellscript: 'sh',
  yaml: 'yml',
  markdown: 'md',
  plaintext: 'txt',
  csharp: 'cs',
  rust: 'rs',
  ruby: 'rb',
  kotlin: 'kt',
  dockerfile: 'Dockerfile',
};

export function snippetFileName(language: string | undefined): string {
  const id = (language ?? '').trim().toLowerCase().replace(/^\./, '');
  if (!id) return 'snippet.txt';
  const ext = EXTENSIONS[id] ?? (/^[a-z0-9+-]{1,20}$/.test(id) ? id : 'txt');
  return ext === 'Dockerfile' ? ext : `snippet.${ext}`;
}

const finding = z.object({
  ruleId: z.string(),
  ruleName: z.string(),
  severity: z.string(),
  file: z.string(),
  line: z.number().describe('1-based'),
  column: z.number().describe('1-based'),
  endLine: z.number(),
  endColumn: z.number(),
  message: z.string(),
  kind: z.string().optional().describe('Secret kind, for secret findings'),
  fix: z.string().optional().describe('Title of the quick fix the editor offers'),
});

function shape(f: Finding) {
  return {
    ruleId: f.ruleId,
    ruleName: f.ruleName,
    severity: f.severity,
    file: f.file,
    line: f.range.startLine + 1,
    column: f.range.startColumn + 1,
    endLine: f.range.endLine + 1,
    endColumn: f.range.endColumn + 1,
    message: safeMessage(f.message),
    ...(f.kind ? { kind: f.kind } : {}),
    ...(f.fix ? { fix: f.fix.title } : {}),
  };
}

export function registerPolicy(server: McpServer, ws: McpWorkspace): void {
  registerTool(
    server,
    ws,
    'check_policy',
    {
      title: 'Check team policy',
      description:
        'Runs the policy engine `llmgenie check` runs: hard-coded secrets, debug logging in production code and the ' +
        "manifest's pattern rules, after allow comments and the baseline. Give `path` (a file or folder, relative to " +
        'the workspace root; .gitignore is respected) or `text` with an optional `language` (e.g. "typescript", "py").',
      inputSchema: {
        path: z.string().min(1).max(4096).optional().describe('File or folder, workspace-relative ("." for everything)'),
        text: z.string().max(MAX_TEXT_CHARS).optional().describe('Code to check, instead of path'),
        language: z.string().max(40).optional().describe('Language of `text`: a VS Code language id or a file extension'),
      },
      outputSchema: {
        findings: z.array(finding),
        truncated: z.boolean().describe(`More than ${MAX_LISTED_FINDINGS} findings: the rest are only counted`),
        summary: z.object({
          files: z.number(),
          findings: z.number(),
          bySeverity: z.record(z.string(), z.number()),
          byRule: z.record(z.string(), z.number()),
          skipped: z.number(),
          baselined: z.number(),
        }),
        skipped: z.array(z.object({ file: z.string(), reason: z.string() })),
        passed: z.boolean().describe('No error-level findings'),
        warnings: z.array(z.string()),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ path, text, language }) => {
      if ((path === undefined) === (text === undefined)) throw new ToolError('give either "path" (a file or folder) or "text", not both');
      if (language !== undefined && text === undefined) throw new ToolError('"language" goes with "text"; for a path the file extension decides');
      const { engine, warnings } = await ws.policyEngine();
      let result: TreeResult;
      if (path !== undefined) {
        const abs = await ws.path(path);
        try {
          result = await engine.checkTree(ws.fs, ws.root, abs === ws.root ? undefined : [abs]);
        } catch (e) {
          if (e instanceof MissingPathError) throw new ToolError(`no such file or folder: ${path}`);
          throw e;
        }
      } else {
        const { findings, baselined } = engine.checkTextDetailed(snippetFileName(language), text!, language);
        result = { findings, skipped: [], files: 1, baselined };
      }
      const s = summarize(result);
      return {
        result: {
          findings: result.findings.slice(0, MAX_LISTED_FINDINGS).map(shape),
          truncated: result.findings.length > MAX_LISTED_FINDINGS,
          summary: { ...s },
          skipped: result.skipped.slice(0, 100).map((k) => ({ ...k })),
          passed: !result.findings.some((f) => f.severity === 'error'),
          warnings,
        },
        event: { type: 'policy', payload: { source: 'mcp', files: s.files, findings: s.findings, byRule: s.byRule, bySeverity: s.bySeverity } },
      };
    },
  );
}
