import { DETECTORS } from './detectors';
import { charClasses, isEnvReference, shannonEntropy } from './heuristics';
import { scanSecrets } from './scanSecrets';

/**
 * The cloud guard's second layer: stricter than `llmgenie check`, since a linter may skip an odd form to avoid
 * noise and the guard in front of Claude must not let it out. It decodes what it sees before judging (escapes,
 * base64, URL encoding, joined string literals), follows key armour in any wrapping, and masks any high-entropy
 * value under any key-like name. Returns spans in the input's own offsets.
 */
export interface CloudSpan {
  start: number;
  end: number;
  kind: string;
}

const MAX_DEPTH = 2;

/** Layer one plus every catalogue shape ungated (cloud texts are small), as spans. */
function shapes(text: string, out: CloudSpan[]): void {
  for (const m of scanSecrets(text, { unquotedValues: true })) out.push({ start: m.rangeStart, end: m.rangeEnd, kind: m.kind });
  for (const d of DETECTORS) {
    d.regex.lastIndex = 0;
    for (let m = d.regex.exec(text); m; m = d.regex.exec(text)) {
      const secret = m.groups?.secret ?? m[0];
      if (d.accept && !d.accept(secret)) continue;
      const start = m.index + m[0].indexOf(secret);
      out.push({ start, end: start + secret.length, kind: d.kind });
    }
  }
}

/** Does this (decoded) text hold a secret by any rule of this pass? */
function holdsSecret(text: string, depth: number): boolean {
  const spans: CloudSpan[] = [];
  cloudSpans(text, spans, depth + 1);
  return spans.length > 0 || /^[^\s:]{1,64}:[^\s:]{6,}$/.test(text.trim());
}

const ESCAPE = /\\u\{([0-9a-fA-F]{1,6})\}|\\u([0-9a-fA-F]{4})|\\x([0-9a-fA-F]{2})|&#x([0-9a-fA-F]{1,6});|&#(\d{1,7});|\\(\/)|[\u200b-\u200d\u2060\ufeff\u00ad]/g;

/** The text with escapes decoded and invisible characters dropped, and where each view character came from. */
function unescapedView(text: string): { view: string; from: number[] } | undefined {
  ESCAPE.lastIndex = 0;
  if (!ESCAPE.test(text)) return undefined;
  ESCAPE.lastIndex = 0;
  let view = '';
  const from: number[] = [];
  let at = 0;
  for (let m = ESCAPE.exec(text); m; m = ESCAPE.exec(text)) {
    for (let i = at; i < m.index; i++) {
      view += text[i];
      from.push(i);
    }
    const hex = m[1] ?? m[2] ?? m[3] ?? m[4];
    const ch = hex ? String.fromCodePoint(parseInt(hex, 16)) : m[5] ? String.fromCodePoint(Number(m[5])) : m[6] ?? '';
    for (const c of ch) {
      view += c;
      from.push(m.index);
    }
    at = m.index + m[0].length;
  }
  for (let i = at; i < text.length; i++) {
    view += text[i];
    from.push(i);
  }
  from.push(text.length);
  return { view, from };
}

const BASE64_RUN = /[A-Za-z0-9+/_-]{20,}={0,2}(?:\r?\n[ \t]*[A-Za-z0-9+/_-]{20,}={0,2})*/g;
const URL_ENCODED = /[^\s"'<>]*%[0-9A-Fa-f]{2}[^\s"'<>]*/g;

function decodeBase64(run: string): string | undefined {
  const buf = Buffer.from(run.replace(/\s+/g, '').replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (buf.length < 8) return undefined;
  const s = buf.toString('utf8');
  let printable = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 32 && c < 127) || c === 10 || c === 13 || c === 9) printable++;
  }
  return printable / s.length > 0.95 ? s : undefined;
}

// Template literals are read on one line: across lines, backticks are markdown code spans far more often.
const STRING_LITERAL = /"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*'|`(?:\\.|[^`\\\n])*`/g;
const JOINER = /^\s*(?:\+|\.\.?|&|\|\||~)?\s*$/;

/** `"sk-ant-" + "api03…"`, `'gh' . 'p_' . '…'`, Python's implicit `("ghp_" "…")`: judged joined. */
function concatenations(text: string, out: CloudSpan[], depth: number): void {
  // Empty literals join nothing; markdown fences (```) read as runs of them.
  const lits = [...text.matchAll(STRING_LITERAL)].map((m) => ({ start: m.index, end: m.index + m[0].length, body: m[0].slice(1, -1) })).filter((l) => l.body.length > 0);
  for (let i = 0; i < lits.length; ) {
    let j = i;
    while (j + 1 < lits.length && JOINER.test(text.slice(lits[j].end, lits[j + 1].start))) j++;
    if (j > i) {
      const joined = lits.slice(i, j + 1).map((l) => l.body).join('');
      if (holdsSecret(joined, depth)) out.push({ start: lits[i].start, end: lits[j].end, kind: 'split-secret' });
    }
    i = j + 1;
  }
}

const KEY_BEGIN = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|PuTTY-User-Key-File-\d/g;
const ARMOUR_LINE = /^[\s#>/*"'+,;|]*(?:[A-Za-z0-9+/=]{16,}|-----END [A-Z0-9 ]*-----|(?:Proc-Type|DEK-Info|Comment|Encryption|Public-Lines|Private-Lines|Private-MAC|Key-Derivation|Argon2-[A-Za-z]+):[^\n]*|)[\s"'+,;]*(?:\\n)?[\s"'+,;]*$/;

/** Key armour in any wrapping (`#`, `>`, `//`, quoted and joined, escaped `\n`), truncated or not. */
function keyArmour(text: string, out: CloudSpan[]): void {
  KEY_BEGIN.lastIndex = 0;
  for (let m = KEY_BEGIN.exec(text); m; m = KEY_BEGIN.exec(text)) {
    let end = m.index + m[0].length;
    const rest = /(?:\r?\n|\\n)/y;
    for (let guard = 0; guard < 400; guard++) {
      rest.lastIndex = end;
      const sep = rest.exec(text);
      const segStart = sep ? rest.lastIndex : end;
      const next = text.slice(segStart).search(/\r?\n|\\n/);
      const segEnd = next < 0 ? text.length : segStart + next;
      const seg = text.slice(segStart, segEnd);
      if (!seg.trim() || !ARMOUR_LINE.test(seg)) break;
      end = segEnd;
      if (seg.includes('-----END')) break;
    }
    out.push({ start: m.index, end, kind: 'private-key' });
    KEY_BEGIN.lastIndex = end;
  }
}

const KEYED = /(?<![\w.-])([A-Za-z_][\w.-]{0,63})["'\]]?[ \t]*(?::=|=>|[:=])[ \t]*["'`]?([^\s"'`,;<>(){}[\]]{16,4096})/g;
const NOT_A_SECRET_NAME = /hash|digest|checksum|sha\d*|md5|integrity|etag|commit|revision|version|uuid|(?:^|[_.-])id$|[a-z]Id$|url$|uri$|path$|file$|dir$|name$|type$|format|pattern|regex|class|style|color/i;
// Each word is letters with at most one separator after it, written so no two ways split the same text: the nested
// `(?:[A-Za-z]+[ ._/:-]?)+` form backtracked exponentially on a long run of letters ending in a digit (a token).
const SHORT_PARTS = /^\.?[A-Za-z0-9]{1,14}(?:[._/:@-][A-Za-z0-9]{1,14})+$/;
/** `env.ANTHROPIC_API_KEY?.trim`: a property chain of short names, whatever the key is called. */
const PROPERTY_CHAIN = /^[A-Za-z_$][\w$]{0,23}(?:\??\.[A-Za-z_$][\w$]{0,23})+\??\.?$/;
/** Regex alternations and escapes, C++ scopes: source code, never a token's alphabet. */
const CODE_MARKS = /[|\\]|::/;
const WORDS = /^[A-Za-z]+(?:[ ._/:-][A-Za-z]+)*[ ._/:-]?$|^[a-z]+(?:[A-Z][a-z]+)+\d{0,3}$|^(?:[A-Z][a-z]+)+$/;

/** Any key-like name with a high-entropy value: `.env` names no detector lists, `upstream_cred: …`. */
function keyedHighEntropy(text: string, out: CloudSpan[]): void {
  KEYED.lastIndex = 0;
  for (let m = KEYED.exec(text); m; m = KEYED.exec(text)) {
    const [, name, value] = m;
    if (NOT_A_SECRET_NAME.test(name) || WORDS.test(value) || isEnvReference(value) || /^(?:[a-z][a-z0-9+.-]*:\/\/|\.{0,2}\/)/i.test(value)) continue;
    const secretName = /key|secret|token|sig|auth|pass|cred|pwd/i.test(name);
    if (/^[0-9a-f-]+$/i.test(value) && !secretName) continue;
    // Code and references are not tokens: a property chain under any name; under a plain name, short parts joined
    // by punctuation (`qwen2.5-coder:7b`, `github/codeql-action/upload-sarif@v3`) or regex and C++ source.
    if (PROPERTY_CHAIN.test(value) || (!secretName && (SHORT_PARTS.test(value) || CODE_MARKS.test(value)))) continue;
    const h = shannonEntropy(value);
    const classes = charClasses(value);
    if (!(h >= 3.5 && classes >= 2 && /\d/.test(value)) && !(h >= 4 && classes >= 2) && !(/^[0-9a-f]{32,}$/i.test(value) && h >= 3.3)) continue;
    const start = m.index + m[0].length - value.length;
    out.push({ start, end: start + value.length, kind: 'high-entropy-value' });
  }
}

/** Credentials in command lines and small credential files. Group 1 is the secret. */
const CREDENTIAL_FORMS: readonly RegExp[] = [
  /(?:^|\s)(?:-u|--user)[ =]["']?[^\s:'"]+:([^\s'"]+)/gm, // curl -u user:pass
  /--(?:password|passwd|pass|token|api-?key|secret|auth-token|access-token|client-secret)[ =]["']?([^\s'"]{4,})/gi,
  /\bmysql(?:dump|admin)?\b[^\n]*?\s-p([^\s'"]{3,})/g,
  /\bsshpass\s+-p\s*["']?([^\s'"]+)/g,
  /\b(?:machine|login|default)\s+\S+\s+(?:login\s+\S+\s+)?(?:password|passwd)\s+([^\s'"]{4,})/gi, // .netrc `machine h login ci password …`
  /^[^\s:#]+:(?:\d+|\*):[^\s:]+:[^\s:]+:(\S+)$/gm, // .pgpass
  /\b(?:IDENTIFIED BY|PASSWORD)\s+'([^'\n]{3,})'/gi, // SQL
  /(?<![A-Za-z0-9+.-])[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:([^\s'"`<>]+)@[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*(?=[:/?#\s'"`<>]|$)/gi, // p@ss#w0rd in a URL
  // "Password:" alone on its line, then the value alone on the next: the label is a whole word at the line's start
  // (after comment or quote marks), so code such as `tokens) });` followed by `break;` is not a password.
  /^[ \t]*(?:[#>*/-]+[ \t]*)?(?:(?:enter|the|your|new|root|admin|db|database|user)[ \t]+){0,2}(?:password|passwd|passphrase|pwd|secret|token|pin)[ \t]*[:=]?[ \t]*\r?\n[ \t]*([^\s(){};,]{4,})[ \t]*$/gim,
];

function credentialForms(text: string, out: CloudSpan[]): void {
  for (const re of CREDENTIAL_FORMS) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const v = m[1];
      if (!v || isEnvReference(v) || /^[*x.…]+$/i.test(v)) continue;
      const start = m.index + m[0].lastIndexOf(v);
      out.push({ start, end: start + v.length, kind: 'credential' });
    }
  }
}

const CSV_LABEL = /^[ \t]*"?[A-Za-z][A-Za-z0-9 _.-]{0,40}"?[ \t\r]*$/;

/** CSV with a credential column (the AWS console's access-key export) and a Kubernetes Secret's data. */
function tables(text: string, out: CloudSpan[]): void {
  const lines = text.split('\n');
  let offset = 0;
  let secretCols: number[] = [];
  let width = 0;
  let inSecretData = -1;
  const isK8sSecret = /^kind:\s*Secret\b/m.test(text);
  for (const line of lines) {
    const cells = line.split(',');
    // A header is a row of short plain labels ("User name,Password,Access key ID"); code with commas is not, and a
    // data row has as many cells as its header, so a table ends where the rows stop matching.
    if (cells.length >= 3 && cells.every((c) => CSV_LABEL.test(c)) && cells.some((c) => /password|secret|token|access key|key id/i.test(c))) {
      secretCols = cells.map((c, i) => (/password|secret|token|key/i.test(c) ? i : -1)).filter((i) => i >= 0);
      width = cells.length;
    } else if (secretCols.length && cells.length !== width) {
      secretCols = [];
    } else if (secretCols.length) {
      let at = offset;
      cells.forEach((c, i) => {
        if (secretCols.includes(i) && c.trim().length >= 4) out.push({ start: at, end: at + c.length, kind: 'credential' });
        at += c.length + 1;
      });
    }
    if (isK8sSecret) {
      const indent = line.search(/\S/);
      if (/^\s*(?:data|stringData):\s*$/.test(line)) inSecretData = indent;
      else if (inSecretData >= 0 && indent > inSecretData) {
        const m = /^\s*[\w.-]+:\s*(\S.*)$/.exec(line);
        if (m) out.push({ start: offset + line.length - m[1].length, end: offset + line.length, kind: 'kubernetes-secret' });
      } else if (indent >= 0 && indent <= inSecretData) inSecretData = -1;
    }
    offset += line.length + 1;
  }
}

export function cloudSpans(text: string, out: CloudSpan[], depth = 0): void {
  shapes(text, out);
  keyArmour(text, out);
  credentialForms(text, out);
  keyedHighEntropy(text, out);
  tables(text, out);
  if (depth >= MAX_DEPTH) return;
  concatenations(text, out, depth);
  const u = unescapedView(text);
  if (u) {
    const inner: CloudSpan[] = [];
    cloudSpans(u.view, inner, depth + 1);
    for (const s of inner) out.push({ start: u.from[s.start], end: u.from[Math.min(s.end, u.from.length - 1)] + 1, kind: s.kind });
  }
  // matchAll iterates a copy of the regex: judging a decoded run re-enters cloudSpans, which must not move the
  // outer loop's lastIndex (a shared `exec` loop here re-found the same run forever).
  for (const m of text.matchAll(BASE64_RUN)) {
    const decoded = decodeBase64(m[0]);
    if (decoded && holdsSecret(decoded, depth)) out.push({ start: m.index, end: m.index + m[0].length, kind: 'encoded-secret' });
  }
  for (const m of text.matchAll(URL_ENCODED)) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(m[0].replace(/\+/g, ' '));
    } catch {
      continue;
    }
    if (decoded !== m[0] && holdsSecret(decoded, depth)) out.push({ start: m.index, end: m.index + m[0].length, kind: 'encoded-secret' });
  }
}
