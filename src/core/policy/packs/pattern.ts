import { compileGlobs, includeExclude } from '../../platform/glob';
import { fingerprint, type TextIndex } from '../textIndex';
import { compileLinearRegex, type LinearRegex } from './linearRegex';
import { PolicyConfigError, type Finding, type PolicyRule, type Severity } from '../types';

/** A manifest rule's `enforce` block compiled once: regexes matched per line, forbidden module specifiers. */
export interface PatternRule {
  readonly id: string;
  readonly name: string;
  readonly severity: Severity;
  readonly description: string;
  applies(relPath: string): boolean;
  check(relPath: string, index: TextIndex): Finding[];
}

interface CompiledPattern {
  /** Whole-text prefilter (multi-line): if it finds nothing, no line can match. */
  readonly any: LinearRegex;
  readonly perLine: LinearRegex;
  readonly message: string;
}

const JS_IMPORT_KEYWORD = /\b(?:import|export|require)\b/g;
const AFTER_IMPORT = /\s*(?:type\s+)?(?:[\w$*{}\s,]{1,4000}?\s+from\s*)?(['"])([^'"\n]+)\1|\s*\(\s*(['"])([^'"\n]+)\3/y;
const AFTER_REQUIRE = /\s*\(\s*(['"])([^'"\n]+)\1/y;
const PY_IMPORT = /^[ \t]*(?:from[ \t]+([\w.]+)[ \t]+import\b|import[ \t]+([\w.]+(?:[ \t]*,[ \t]*[\w.]+)*))/gm;

export function compilePatternRule(rule: PolicyRule): PatternRule {
  const e = rule.enforce;
  const severity = rule.severity ?? 'warning';
  const inScope = includeExclude(e.globs, e.exclude);
  const patterns: CompiledPattern[] = (e.patterns ?? []).map((p) => {
    const flags = (p.flags ?? '').replace(/[gy]/g, '');
    try {
      return {
        any: compileLinearRegex(p.regex, `${flags.replace('m', '')}m`),
        perLine: compileLinearRegex(p.regex, flags),
        message: p.message ?? e.message ?? `${rule.name}: matches /${p.regex}/`,
      };
    } catch (err) {
      throw new PolicyConfigError(`rule ${rule.id}: invalid regex /${p.regex}/: ${(err as Error).message}`);
    }
  });
  const forbidden = (e.forbiddenImports ?? []).map((spec) => {
    // A bare package name also forbids its subpaths: "lodash" covers "lodash/fp".
    const m = compileGlobs([spec, `${spec}/**`]);
    return { spec, test: m };
  });
  const importMessage = (spec: string, module: string) =>
    e.message ? `${e.message} (${module})` : `${rule.name}: import of "${module}" is forbidden (${spec})`;

  return {
    id: rule.id,
    name: rule.name,
    severity,
    description: e.message ?? rule.name,
    applies: inScope,
    check(relPath, index) {
      const out: Finding[] = [];
      const push = (start: number, end: number, message: string, content: string) =>
        out.push({ ruleId: rule.id, ruleName: rule.name, severity, file: relPath, range: index.range(start, end), message, fingerprint: fingerprint(rule.id, relPath, content) });
      for (const p of patterns) {
        if (!p.any.test(index.text)) continue;
        for (let line = 0; line < index.lineCount; line++) {
          const t = index.lineText(line);
          for (const m of p.perLine.matches(t)) {
            const at = index.lineStart(line) + m.start;
            push(at, at + (m.end - m.start), p.message, `${p.perLine.source}\0${t.trim()}`);
          }
        }
      }
      if (forbidden.length) {
        for (const imp of findImports(relPath, index.text)) {
          const hit = forbidden.find((f) => f.test(imp.module));
          if (hit) push(imp.start, imp.start + imp.module.length, importMessage(hit.spec, imp.module), `import\0${imp.module}`);
        }
      }
      return out;
    },
  };
}

export interface ImportRef {
  readonly module: string;
  readonly start: number;
}

/** Module specifiers of JS/TS `import`/`export … from`/`require()`/`import()`, or Python `import`/`from … import`. */
export function findImports(relPath: string, text: string): ImportRef[] {
  const out: ImportRef[] = [];
  if (/\.py$/i.test(relPath)) {
    if (!text.includes('import')) return out;
    PY_IMPORT.lastIndex = 0;
    for (let m = PY_IMPORT.exec(text); m; m = PY_IMPORT.exec(text)) {
      if (m[1]) out.push({ module: m[1], start: m.index + m[0].indexOf(m[1]) });
      else {
        let at = m.index + m[0].indexOf(m[2]);
        for (const part of m[2].split(',')) {
          const mod = part.trim();
          out.push({ module: mod, start: at + part.indexOf(mod) });
          at += part.length + 1;
        }
      }
    }
    return out;
  }
  if (!text.includes('import') && !text.includes('require') && !text.includes('export')) return out;
  JS_IMPORT_KEYWORD.lastIndex = 0;
  for (let k = JS_IMPORT_KEYWORD.exec(text); k; k = JS_IMPORT_KEYWORD.exec(text)) {
    const re = k[0] === 'require' ? AFTER_REQUIRE : AFTER_IMPORT;
    const from = k.index + k[0].length;
    re.lastIndex = from;
    const m = re.exec(text);
    if (!m) continue;
    const module = m[2] ?? m[4];
    const quoteAt = m[0].lastIndexOf(module);
    out.push({ module, start: from + quoteAt });
    JS_IMPORT_KEYWORD.lastIndex = from + m[0].length;
  }
  return out;
}
