import { readAssignment, type AssignedSecret } from './assignments';
import { DETECTORS, type Detector } from './detectors';
import { isEnvReference, isPlaceholder } from './heuristics';

/** A secret found in a text: `start`/`end` are UTF-16 offsets of the secret itself (not its surroundings). */
export interface SecretMatch {
  readonly kind: string;
  readonly title: string;
  readonly start: number;
  readonly end: number;
  readonly value: string;
  /** The span to underline: the secret, or for key blocks the whole block from its BEGIN line. */
  readonly rangeStart: number;
  readonly rangeEnd: number;
}

export interface ScanOptions {
  /**
   * Accept unquoted values (`API_KEY=abc…`, `password: abc…`), as in .env, YAML, INI and shell files. In code an
   * unquoted right-hand side is an expression, so callers switch this off by file type.
   */
  readonly unquotedValues?: boolean;
}

export const SECRET_KIND_TITLES: Readonly<Record<string, string>> = Object.fromEntries([
  ...DETECTORS.map((d) => [d.kind, d.title]),
  ['aws-secret-access-key', 'AWS secret access key'],
  ['connection-string-password', 'Password in a connection string'],
  ['password-assignment', 'Hard-coded password'],
  ['generic-secret', 'High-entropy value assigned to a secret-looking name'],
]);

const KIND_INDEX = new Map(DETECTORS.map((d, i) => [d.kind, i]));

/**
 * Keywords starting `A` (AKIA, AIza, ATATT, AGE-SECRET-KEY-1…) are literals of the trigger regex; every other
 * keyword is looked up, by its first two characters, at the start of a token the trigger pass stopped in.
 */
const LITERALS = new Map<string, number[]>();
const PREFIXES = new Map<string, Array<readonly [string, number]>>();
DETECTORS.forEach((d, i) => {
  if (d.firedByHand) return;
  for (const k of d.keywords) {
    if (k[0] === 'A' && k.length >= 4) LITERALS.set(k.slice(1), [...(LITERALS.get(k.slice(1)) ?? []), i]);
    else PREFIXES.set(k.slice(0, 2), [...(PREFIXES.get(k.slice(0, 2)) ?? []), [k, i] as const]);
  }
});
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * One pass over the text finds every place worth a closer look. Group 1: parts of secret-looking names (for
 * assignments). Group 2: the `A…` literals. Then `yJ` (of `eyJ`, JSON in base64), `k-` (of `sk-`), `://`, and a
 * separator followed by a long alphanumeric run, where a `prefix_` / `prefix-` / `prefix.` token's prefix is
 * looked up at the token's start; `:AA` for Telegram's `<bot id>:AA…`. V8 keeps this pass fast only while the
 * alternatives are few and start with rare characters, so the catalogue's lower-case prefixes are not
 * alternatives here: each would double the cost of a clean file.
 */
const TRIGGER = new RegExp(
  '([kK](?:e[yn]|E[YN])|[wW](?:or)?d|W(?:OR)?D|cret|CRET|dential|DENTIAL|zation|ZATION)' +
    `|A(${[...LITERALS.keys()].sort((a, b) => b.length - a.length).map(escape).join('|')})` +
    '|yJ|k-|:AA|:\\/\\/|[_.-][A-Za-z0-9]{16}',
  'g',
);
/**
 * GitLab's prefixes (`glpat-`, `glrt-`…) lead bodies of base64url that may give the trigger pass no stop, and one
 * more alternative there doubles its cost; a separate literal-led pass costs a sixth of it.
 */
const GITLAB_HINT = /gl[a-z]{2,6}-/g;
/** requests' `auth=("user", "pw")`: `=` is too common to key the trigger pass on, and this literal-led check is ~free. */
const AUTH_PAIR_HINT = /uth\s*=\s*\(/;

/** [A-Za-z0-9_.+/~-]: the characters a token may hold around its prefix. */
function isTokenChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 45 || c === 43 || c === 47 || c === 126;
}

/** Finds every secret in `text`, non-overlapping, ordered by position. */
export function scanSecrets(text: string, options: ScanOptions = {}): SecretMatch[] {
  const unquoted = options.unquotedValues ?? true;
  const fired = new Set<number>();
  const fire = (kind: string) => fired.add(KIND_INDEX.get(kind)!);
  let urls = false;
  let lastTokenStart = -1;
  const assignments: SecretMatch[] = [];
  const lookupAt = (s: number) => {
    const candidates = PREFIXES.get(text.slice(s, s + 2));
    if (candidates) for (const [k, i] of candidates) if (text.startsWith(k, s)) fired.add(i);
  };
  /** Looks the catalogue's prefixes up at the start of the token holding `at` (and after its last `/`). */
  const prefixAt = (at: number) => {
    let s = at;
    let slash = -1;
    while (s > 0 && at - s < 96 && isTokenChar(text.charCodeAt(s - 1))) {
      s--;
      if (slash < 0 && text.charCodeAt(s) === 47) slash = s + 1;
    }
    if (s === lastTokenStart) return;
    lastTokenStart = s;
    lookupAt(s);
    if (slash > s) lookupAt(slash);
  };
  TRIGGER.lastIndex = 0;
  for (let t = TRIGGER.exec(text); t; t = TRIGGER.exec(text)) {
    const at = t.index;
    if (t[1] !== undefined) {
      TRIGGER.lastIndex = nameHit(text, at, t[1].length, unquoted, assignments, fire);
      continue;
    }
    // Step one character on, not past the hit, so a name or prefix inside it is still seen.
    TRIGGER.lastIndex = at + 1;
    if (t[2] !== undefined) {
      for (const i of LITERALS.get(t[2])!) fired.add(i);
      continue;
    }
    const hit = t[0];
    if (hit === '://') {
      urls = true;
      if (text.startsWith('hooks.slack.com', at + 3)) fire('slack-webhook');
      else if (/^(?:(?:canary|ptb)\.)?discord(?:app)?\.com/.test(text.slice(at + 3, at + 30))) fire('discord-webhook');
    } else if (hit === 'yJ') {
      if (text.charCodeAt(at - 1) === 101) fire('jwt');
      prefixAt(at);
    } else if (hit === ':AA') fire('telegram-bot-token');
    else if (hit !== 'k-' || text.charCodeAt(at - 1) === 115) prefixAt(at);
  }
  GITLAB_HINT.lastIndex = 0;
  for (let m = GITLAB_HINT.exec(text); m; m = GITLAB_HINT.exec(text)) lookupAt(m.index);
  if (urls && text.includes('sig=')) fire('azure-sas-token');
  if (AUTH_PAIR_HINT.test(text)) fire('basic-auth-tuple');
  const found: SecretMatch[] = [];
  for (let i = 0; i < DETECTORS.length; i++) if (fired.has(i)) runDetector(DETECTORS[i], text, found);
  if (urls) scanConnectionStrings(text, found);
  for (const a of assignments) add(found, a);
  return found.sort((a, b) => a.start - b.start);
}

/** A name hit: fire the detectors its name announces, then read an assignment to it. */
function nameHit(text: string, at: number, length: number, unquoted: boolean, out: SecretMatch[], fire: (kind: string) => void): number {
  const c = text.charCodeAt(at);
  if (c === 75 || c === 107) {
    if (text.startsWith('PRIVATE KEY', at - 8)) fire('private-key');
    else if (text.startsWith('private_key', at - 8)) fire('gcp-service-account-key');
    else if (text.startsWith('AccountKey=', at - 7)) fire('azure-storage-key');
    else if (text.startsWith('SharedAccessKey=', at - 12)) fire('azure-connection-string');
  } else if (c === 122 || c === 90) {
    // `zation`: an Authorization header, whose value after the scheme word is never an assignment's.
    fire('authorization-header');
  }
  const r = readAssignment(text, at, length, unquoted);
  if (r.secret) out.push(toMatch(r.secret));
  return r.resume;
}

function toMatch({ kind, start, end, value }: AssignedSecret): SecretMatch {
  return { kind, title: SECRET_KIND_TITLES[kind], start, end, value, rangeStart: start, rangeEnd: end };
}

function runDetector(d: Detector, text: string, found: SecretMatch[]): void {
  d.regex.lastIndex = 0;
  for (let m = d.regex.exec(text); m; m = d.regex.exec(text)) {
    const secret = m.groups?.secret ?? m[0];
    const start = m.index + m[0].indexOf(secret);
    if (d.accept && !d.accept(secret)) continue;
    const end = start + secret.length;
    const [rangeStart, rangeEnd] = d.underlineWholeMatch ? [m.index, m.index + m[0].length] : [start, end];
    add(found, { kind: d.kind, title: d.title, start, end, value: secret, rangeStart, rangeEnd });
  }
}

/** Earlier (more specific) detectors win an overlap. */
function add(found: SecretMatch[], m: SecretMatch): void {
  for (const f of found) if (m.rangeStart < f.rangeEnd && f.rangeStart < m.rangeEnd) return;
  found.push(m);
}

/** The password runs to the last `@` before the host: people paste `p@ss#word` unencoded. */
const CONNECTION = /:\/\/(?<user>[^\s:@/?#'"`<>]{0,128}):(?<secret>[^\s/?'"`<>\\]{1,256})@(?<host>[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*|\[[0-9A-Fa-f:]+\])(?=[:/?#\s'"`<>\\]|$)/g;
/** RFC 2606 / 6761 names used in documentation and tests. */
const RESERVED_HOST = /(?:^|\.)example\.(?:com|org|net)$|\.(?:example|test|invalid)$/i;
const DEFAULT_PASSWORDS = new Set([
  'password', 'pass', 'passwd', 'pwd', 'pw', 'secret', 'admin', 'root', 'guest', 'postgres', 'mysql', 'user',
  'test', 'redis', 'rabbitmq', 'mongo', 'sa', 'dev', 'local',
]);

function scanConnectionStrings(text: string, found: SecretMatch[]): void {
  CONNECTION.lastIndex = 0;
  for (let m = CONNECTION.exec(text); m; m = CONNECTION.exec(text)) {
    // The scheme must directly precede `://`.
    const before = text.charCodeAt(m.index - 1);
    if (!((before >= 97 && before <= 122) || (before >= 65 && before <= 90) || (before >= 48 && before <= 57))) continue;
    const { user, secret } = m.groups as { user: string; secret: string };
    const lower = secret.toLowerCase();
    if (
      DEFAULT_PASSWORDS.has(lower) ||
      lower === user.toLowerCase() ||
      isPlaceholder(secret) ||
      isEnvReference(secret) ||
      secret.includes('$') ||
      /^[%*]+$/.test(secret) ||
      /^\d{1,5}$/.test(secret) || // `host:8080@…` is a port, not a password
      secret.length < 6 ||
      RESERVED_HOST.test(m.groups!.host)
    )
      continue;
    const start = m.index + 3 + user.length + 1;
    const end = start + secret.length;
    add(found, { kind: 'connection-string-password', title: SECRET_KIND_TITLES['connection-string-password'], start, end, value: secret, rangeStart: start, rangeEnd: end });
  }
}
