import { RE2JS } from 're2js';

/**
 * A manifest pattern compiled for a linear-time engine (RE2, pure JS: no native build in the .vsix). The regexes
 * come from a repository's rules_manifest.json: with V8's backtracking engine one rule like `^(a+)+$` takes
 * exponential time on a line of a's, hangs `llmgenie check` and stops the MCP server answering anyone. RE2
 * matches in time linear in the input for every pattern it accepts; what it cannot run that way (lookaround,
 * backreferences) is refused when the manifest is read.
 */
export interface LinearRegex {
  readonly source: string;
  /** Whether the pattern matches anywhere in `text`. */
  test(text: string): boolean;
  /** Non-overlapping matches, left to right, as UTF-16 offsets into `text`. */
  matches(text: string): Iterable<{ start: number; end: number }>;
}

const FLAGS: Record<string, number> = { i: RE2JS.CASE_INSENSITIVE, m: RE2JS.MULTILINE, s: RE2JS.DOTALL, u: 0, g: 0, y: 0 };

/** Throws an Error whose one-line message says what is wrong with the pattern or its flags. */
export function compileLinearRegex(source: string, flags = ''): LinearRegex {
  let bits = 0;
  for (const f of flags) {
    if (!(f in FLAGS)) throw new Error(`unsupported flag "${f}" (use i, m, s or u)`);
    bits |= FLAGS[f];
  }
  let re: RE2JS;
  try {
    re = RE2JS.compile(source, bits);
  } catch (e) {
    const why = (e as Error).message.replace(/^error parsing regexp:\s*/, '');
    throw new Error(`${why} (patterns run on a linear-time engine, RE2: no lookahead, lookbehind or backreferences)`);
  }
  return {
    source,
    test: (text) => re.test(text),
    *matches(text) {
      const m = re.matcher(text);
      while (m.find()) yield { start: m.start(), end: m.end() };
    },
  };
}
