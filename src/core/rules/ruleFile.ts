import { enforceSchema, type EnforceBlock } from './enforce';
import { readRuleFrontMatter, type FrontMatterEntry } from './frontMatter';
import { globProblem, splitGlobList, unquote } from './globs';
import { problemAt, type RuleProblem } from './problem';

/** One parsed `.mdc` rule file or legacy `.cursorrules`. */
export interface RuleFile {
  readonly file: string;
  readonly description?: string;
  readonly globs: string[];
  readonly alwaysApply: boolean;
  readonly body: string;
  readonly bodyStartLine: number;
  /** `id` from front matter, if the file declares one. */
  readonly declaredId?: string;
  readonly enforce?: EnforceBlock;
  readonly legacy: boolean;
  /** Line of each front matter key, for diagnostics and code actions. */
  readonly keyLines: Readonly<Record<string, number>>;
}

export interface ParsedRuleFile {
  readonly rule: RuleFile;
  readonly problems: RuleProblem[];
}

const KNOWN_KEYS = ['description', 'globs', 'alwaysApply', 'id', 'enforce'];

/** Never throws: whatever the text, a rule comes back, with problems for what could not be understood. */
export function parseRuleFile(file: string, text: string): ParsedRuleFile {
  if (/(^|\/)\.cursorrules$/.test(file)) {
    return { rule: { file, globs: [], alwaysApply: true, body: text, bodyStartLine: 0, legacy: true, keyLines: {} }, problems: [] };
  }
  const doc = readRuleFrontMatter(text);
  const problems: RuleProblem[] = doc.issues.map((i) =>
    problemAt(file, i.line, i.column, i.length, i.kind === 'unclosed' ? 'error' : 'warning', i.kind === 'unclosed' ? 'front-matter-unclosed' : 'front-matter-syntax', i.message),
  );
  const byKey = new Map<string, FrontMatterEntry>();
  const keyLines: Record<string, number> = {};
  for (const e of doc.entries) {
    byKey.set(e.key, e);
    keyLines[e.key] = e.line;
    if (!KNOWN_KEYS.includes(e.key)) {
      const near = KNOWN_KEYS.find((k) => k !== e.key && editDistance(k.toLowerCase(), e.key.toLowerCase()) <= 2);
      if (near) problems.push(problemAt(file, e.line, 0, e.key.length, 'warning', 'front-matter-key', `unknown key "${e.key}": did you mean "${near}"?`));
    }
  }

  const description = stringValue(byKey.get('description'));
  const globs = readGlobs(file, byKey.get('globs'), problems);
  const alwaysApply = readBoolean(file, byKey.get('alwaysApply'), problems);
  const declaredId = stringValue(byKey.get('id'));
  const enforce = readEnforce(file, byKey.get('enforce'), problems);

  return {
    rule: { file, description, globs, alwaysApply, body: doc.body, bodyStartLine: doc.bodyStartLine, declaredId, enforce, legacy: false, keyLines },
    problems,
  };
}

function stringValue(e: FrontMatterEntry | undefined): string | undefined {
  if (!e || e.value === null || e.value === undefined) return undefined;
  const s = typeof e.value === 'string' ? unquote(e.value) : String(e.value);
  return s || undefined;
}

function readGlobs(file: string, e: FrontMatterEntry | undefined, problems: RuleProblem[]): string[] {
  if (!e || e.value === null || e.value === '') return [];
  let globs: string[];
  if (Array.isArray(e.value)) globs = e.value.flatMap((g) => (typeof g === 'string' ? splitGlobList(g) : [String(g)]));
  else if (typeof e.value === 'string') globs = splitGlobList(e.raw || e.value);
  else {
    problems.push(problemAt(file, e.line, e.valueColumn, e.raw.length, 'error', 'front-matter-type', 'globs must be a glob, a comma-separated list of globs, or a list'));
    return [];
  }
  for (const g of globs) {
    const why = globProblem(g);
    if (why) {
      const col = e.raw.indexOf(g);
      problems.push(problemAt(file, e.line, col >= 0 ? e.valueColumn + col : e.valueColumn, g.length, 'error', 'bad-glob', why));
    }
  }
  return globs;
}

function readBoolean(file: string, e: FrontMatterEntry | undefined, problems: RuleProblem[]): boolean {
  if (!e || e.value === null || e.value === '') return false;
  if (typeof e.value === 'boolean') return e.value;
  problems.push(problemAt(file, e.line, e.valueColumn, e.raw.length, 'warning', 'front-matter-type', `alwaysApply must be true or false, not "${e.raw}"`));
  return false;
}

function readEnforce(file: string, e: FrontMatterEntry | undefined, problems: RuleProblem[]): EnforceBlock | undefined {
  if (!e || e.value === null) return undefined;
  const parsed = enforceSchema.safeParse(e.value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue.path.length ? ` at enforce.${issue.path.join('.')}` : '';
  problems.push(problemAt(file, e.line, 0, e.key.length, 'error', 'front-matter-type', `enforce block is invalid${where}: ${issue.message}`));
  return undefined;
}

function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0];
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j];
      dp[j] = Math.min(dp[j] + 1, dp[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length];
}
