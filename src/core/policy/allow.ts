import type { TextIndex } from './textIndex';
import type { Finding, Fix } from './types';

/**
 * `llmgenie-allow` on a finding's line or the line above suppresses it; `llmgenie-allow(400,001)` only those
 * rules. Cheap when absent: one `includes` per text.
 */
const ALLOW = /llmgenie-allow(?:\(([^)]*)\))?/g;
export const ALLOW_MARKER = 'llmgenie-allow';

export function filterAllowed(findings: Finding[], index: TextIndex): Finding[] {
  if (!findings.length || !index.text.includes(ALLOW_MARKER)) return findings;
  const cache = new Map<number, Set<string> | 'all' | undefined>();
  const allowsOn = (line: number) => {
    if (!cache.has(line)) cache.set(line, parseAllow(index.lineText(line)));
    return cache.get(line);
  };
  return findings.filter((f) => {
    for (const line of [f.range.startLine, f.range.startLine - 1]) {
      const a = line >= 0 ? allowsOn(line) : undefined;
      if (a === 'all' || a?.has(f.ruleId)) return false;
    }
    return true;
  });
}

function parseAllow(line: string): Set<string> | 'all' | undefined {
  if (!line.includes(ALLOW_MARKER)) return undefined;
  const ids = new Set<string>();
  ALLOW.lastIndex = 0;
  for (let m = ALLOW.exec(line); m; m = ALLOW.exec(line)) {
    if (m[1] === undefined || !m[1].trim()) return 'all';
    for (const id of m[1].split(/[\s,]+/)) if (id) ids.add(id);
  }
  return ids;
}

const HASH_COMMENT = /\.(?:py|rb|sh|bash|zsh|ya?ml|toml|env|ini|cfg|conf|properties|r|pl|ps1|tf|dockerfile|mk)$|(?:^|\/)(?:\.env(?:\..*)?|Dockerfile|Makefile|\.gitignore|\.npmrc)$/i;
const DASH_COMMENT = /\.(?:sql|lua|hs)$/i;
const XML_COMMENT = /\.(?:html?|xml|md|mdx|vue|svelte|svg)$/i;

/**
 * The "allow this line" quick fix: a comment above the finding's line, indented like it. Undefined for JSON,
 * which has no comments (use the baseline there).
 */
export function allowFix(finding: Finding, index: TextIndex): Fix | undefined {
  if (/\.json$/i.test(finding.file)) return undefined;
  const line = finding.range.startLine;
  const indent = /^\s*/.exec(index.lineText(line))![0];
  const marker = `${ALLOW_MARKER}(${finding.ruleId})`;
  const file = finding.file;
  const comment = HASH_COMMENT.test(file)
    ? `# ${marker}`
    : DASH_COMMENT.test(file)
      ? `-- ${marker}`
      : XML_COMMENT.test(file)
        ? `<!-- ${marker} -->`
        : `// ${marker}`;
  const at = { startLine: line, startColumn: 0, endLine: line, endColumn: 0 };
  return { title: `Allow ${finding.ruleName} on this line`, edits: [{ range: at, newText: `${indent}${comment}\n` }] };
}
