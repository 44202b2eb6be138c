import { findNodeAtLocation, getNodeValue, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { z } from 'zod';
import { enforceSchema, severitySchema } from './enforce';
import { compileLinearRegex } from '../policy/packs/linearRegex';
import { globProblem } from './globs';
import type { RuleProblem } from './problem';

/** `rules_manifest.json`: the team's registry of atomic rules. File paths are relative to the workspace root. */
export const ruleKindSchema = z.enum(['branch', 'logging', 'security', 'style', 'other']);
export type RuleKind = z.infer<typeof ruleKindSchema>;

export const manifestEntrySchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9._-]+$/, 'id may use letters, digits, ".", "_" and "-"'),
    name: z.string().min(1),
    file: z.string().min(1),
    kind: ruleKindSchema,
    // No default: a missing severity means "the pack's own" (secrets: error), and a filled-in default would be
    // written back by `rules manifest` and then read as chosen on purpose.
    severity: severitySchema.optional().describe("Default: the enforcing pack's own (security: error), else warning"),
    description: z.string().optional(),
    enforce: enforceSchema.optional(),
  })
  .strict();
export type ManifestEntry = z.infer<typeof manifestEntrySchema>;

export const manifestSchema = z
  .object({
    $schema: z.string().optional(),
    version: z.literal(1).default(1),
    rules: z.array(manifestEntrySchema),
  })
  .strict();
export type Manifest = z.infer<typeof manifestSchema>;

export const MANIFEST_LOCATIONS = ['rules_manifest.json', '.cursor/rules_manifest.json'] as const;

export interface ParsedManifest {
  /** Undefined when any part of the file fails the schema; `entries` still holds the parts that passed. */
  readonly manifest?: Manifest;
  /** False when no rule can be read at all: not JSON, or no `rules` array. */
  readonly usable: boolean;
  /** Entries that validated, even if others did not. */
  readonly entries: ReadonlyArray<{ entry: ManifestEntry; index: number }>;
  readonly problems: RuleProblem[];
  /** Range of an entry's property value, for diagnostics and navigation. */
  rangeOf(path: (string | number)[]): Range;
}

interface Range {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** Never throws. Problems carry the exact range of the offending JSON value. */
export function parseManifest(file: string, text: string): ParsedManifest {
  const lineStarts = computeLineStarts(text);
  const toRange = (offset: number, length: number): Range => {
    const a = positionAt(lineStarts, offset);
    const b = positionAt(lineStarts, offset + Math.max(length, 1));
    return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  };
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
  const problems: RuleProblem[] = [];
  const rangeOf = (path: (string | number)[]): Range => {
    const node = root && findNodeAtLocation(root, path);
    return node ? toRange(node.offset, node.length) : toRange(0, 1);
  };
  const push = (range: Range, severity: RuleProblem['severity'], code: RuleProblem['code'], message: string) =>
    problems.push({ file, ...range, severity, code, message });

  if (errors.length || !root) {
    for (const e of errors.slice(0, 5)) push(toRange(e.offset, e.length), 'error', 'manifest-syntax', `JSON syntax error: ${printParseErrorCode(e.error)}`);
    if (!root) push(toRange(0, 1), 'error', 'manifest-syntax', 'rules_manifest.json is empty');
    return { entries: [], problems, rangeOf, usable: false };
  }

  const value: unknown = getNodeValue(root);
  const whole = manifestSchema.safeParse(value);
  const entries: { entry: ManifestEntry; index: number }[] = [];
  if (whole.success) {
    whole.data.rules.forEach((entry, index) => entries.push({ entry, index }));
  } else {
    for (const issue of whole.error.issues) {
      const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
      const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
      if (keys.length) {
        for (const k of keys) {
          const prop = propertyKeyNode(root, path, k);
          push(prop ? toRange(prop.offset, prop.length) : rangeOf(path), 'error', 'manifest-schema', `unknown key "${k}"${where(path)}`);
        }
      } else {
        push(rangeOf(closestExisting(root, path)), 'error', 'manifest-schema', `${issue.message}${where(path)}`);
      }
    }
    const rulesNode = findNodeAtLocation(root, ['rules']);
    if (rulesNode?.type === 'array') {
      rulesNode.children?.forEach((child, index) => {
        const one = manifestEntrySchema.safeParse(getNodeValue(child));
        if (one.success) entries.push({ entry: one.data, index });
      });
    }
  }

  const seenIds = new Map<string, number>();
  const seenFiles = new Map<string, number>();
  for (const { entry, index } of entries) {
    if (seenIds.has(entry.id)) push(rangeOf(['rules', index, 'id']), 'error', 'manifest-duplicate-id', `duplicate rule id "${entry.id}" (also rule #${seenIds.get(entry.id)! + 1})`);
    else seenIds.set(entry.id, index);
    const norm = normalizeRelPath(entry.file);
    if (seenFiles.has(norm)) push(rangeOf(['rules', index, 'file']), 'warning', 'manifest-duplicate-file', `"${entry.file}" is registered twice (also rule #${seenFiles.get(norm)! + 1})`);
    else seenFiles.set(norm, index);
    entry.enforce?.globs?.forEach((g, gi) => {
      const why = globProblem(g);
      if (why) push(rangeOf(['rules', index, 'enforce', 'globs', gi]), 'error', 'bad-glob', why);
    });
    entry.enforce?.patterns?.forEach((p, pi) => {
      try {
        compileLinearRegex(p.regex, p.flags);
      } catch (e) {
        push(rangeOf(['rules', index, 'enforce', 'patterns', pi, 'regex']), 'error', 'manifest-schema', `invalid regex: ${(e as Error).message}`);
      }
    });
  }
  const usable = whole.success || findNodeAtLocation(root, ['rules'])?.type === 'array';
  return { manifest: whole.success ? whole.data : undefined, entries, problems, rangeOf, usable };
}

export function normalizeRelPath(p: string): string {
  return p.replace(/\\/g, '/').replace(/^\.\//, '');
}

function where(path: (string | number)[]): string {
  return path.length ? ` at ${path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '')}` : '';
}

function propertyKeyNode(root: Node, path: (string | number)[], key: string): Node | undefined {
  const obj = path.length ? findNodeAtLocation(root, path) : root;
  return obj?.children?.find((p) => p.type === 'property' && p.children?.[0]?.value === key)?.children?.[0];
}

function closestExisting(root: Node, path: (string | number)[]): (string | number)[] {
  for (let n = path.length; n >= 0; n--) if (findNodeAtLocation(root, path.slice(0, n))) return path.slice(0, n);
  return [];
}

function computeLineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function positionAt(starts: number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, column: offset - starts[lo] };
}
