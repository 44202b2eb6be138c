import { DETECTORS, type Detector } from './detectors';
import {
  charClasses,
  isBenignRandom,
  isEnvReference,
  isKnownPublicValue,
  isPlaceholder,
  looksRandom,
  shannonEntropy,
} from './heuristics';

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

/**
 * One pass over the text finds every place worth a closer look: parts of secret-looking names (group 1, for
 * assignments) and the prefixes of shaped tokens. V8 scans fastest when every alternative starts with a rare
 * character, so each is keyed on its rarest part (`yJ` of `eyJ`, `k-` of `sk-`, `ken` of `token`, `_` plus a
 * long run for `ghp_…`/`npm_…`/`hf_…`/`sk_live_…`) and the rest is checked around the hit. This pass is most of
 * the cost on a clean file, about five times faster than one alternation of the plain prefixes.
 */
const TRIGGER =
  /([kK](?:e[yn]|E[YN])|[wW](?:or)?d|W(?:OR)?D|cret|CRET|dential|DENTIAL|zation|ZATION)|yJ|k-|ks[./]|_[A-Za-z0-9]{20}|A(?:KIA|SIA|BIA|CCA|3T|Iza)|glpat-|xox|:\/\//g;
/** requests' `auth=("user", "pw")`: `=` is too common to key the trigger pass on, and this literal-led check is ~free. */
const AUTH_PAIR_HINT = /uth\s*=\s*\(/;
const UNDERSCORE_PREFIX = /(?:(gh[pousr]|github_pat)|(hf)|(npm)|([sr]k_live))_$/;
const KIND_INDEX = new Map(DETECTORS.map((d, i) => [d.kind, i]));

/** Finds every secret in `text`, non-overlapping, ordered by position. */
export function scanSecrets(text: string, options: ScanOptions = {}): SecretMatch[] {
  const unquoted = options.unquotedValues ?? true;
  const fired = new Set<number>();
  const fire = (kind: string) => fired.add(KIND_INDEX.get(kind)!);
  let urls = false;
  const assignments: SecretMatch[] = [];
  TRIGGER.lastIndex = 0;
  for (let t = TRIGGER.exec(text); t; t = TRIGGER.exec(text)) {
    const at = t.index;
    if (t[1] !== undefined) {
      TRIGGER.lastIndex = checkAssignment(text, at, t[1].length, unquoted, assignments, fire);
      continue;
    }
    const hit = t[0];
    // Step one character on, not past the hit, so a name or prefix inside it is still seen.
    TRIGGER.lastIndex = at + 1;
    switch (hit.charCodeAt(0)) {
      case 58: // '://'
        urls = true;
        break;
      case 121: // 'yJ'
        if (text.charCodeAt(at - 1) === 101) fire('jwt');
        break;
      case 107: // 'k-' or 'ks.' / 'ks/'
        if (hit === 'k-') {
          if (text.charCodeAt(at - 1) === 115) {
            fire('anthropic-api-key');
            fire('openai-api-key');
          }
        } else if (text.startsWith('hoo', at - 3)) {
          fire('slack-webhook');
          fire('discord-webhook');
        }
        break;
      case 95: {
        const p = UNDERSCORE_PREFIX.exec(text.slice(Math.max(0, at - 10), at + 1));
        if (p) fire(p[1] ? 'github-token' : p[2] ? 'huggingface-token' : p[3] ? 'npm-token' : 'stripe-secret-key');
        break;
      }
      case 65: // 'A…'
        fire(hit === 'AIza' ? 'gcp-api-key' : 'aws-access-key-id');
        break;
      case 103: // 'glpat-'
        fire('gitlab-token');
        break;
      case 120: // 'xox'
        fire('slack-token');
        break;
    }
  }
  if (AUTH_PAIR_HINT.test(text)) fire('basic-auth-tuple');
  const found: SecretMatch[] = [];
  for (let i = 0; i < DETECTORS.length; i++) if (fired.has(i)) runDetector(DETECTORS[i], text, found);
  if (urls) scanConnectionStrings(text, found);
  for (const a of assignments) add(found, a);
  return found.sort((a, b) => a.start - b.start);
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

const CONNECTION = /:\/\/(?<user>[^\s:@/?#'"`<>]{0,128}):(?<secret>[^\s@/?#'"`<>]{1,256})@(?<host>[A-Za-z0-9_.-]+|\[[0-9A-Fa-f:]+\])/g;
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

/** The name must say "secret"; `key` alone (cacheKey, sortKey) does not. */
const SECRET_NAME =
  /secret|token|passw(?:or)?d|passphrase|pwd|api[_.-]?key|access[_.-]?key|private[_.-]?key|auth[_.-]?key|credential|signing[_.-]?key|encryption[_.-]?key|master[_.-]?key|(?:storage|account|shared|service|app|consumer|subscription|license|webhook)[_.-]?key|authorization/i;
/** [A-Za-z0-9_.-] */
function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 45;
}
/** Names that hold something about a secret (its hash, id, length, where it lives) rather than the secret. */
const NOT_SECRET_NAME =
  /public|publishable|hash|digest|checksum|sha\d|md5|fingerprint|(?:^|[_.-])id$|[a-z]Id$|name$|type$|field$|label$|url$|uri$|path$|file$|dir$|endpoint$|header$|prefix$|length$|count$|size$|expir|ttl$|timeout|format|pattern|regex|placeholder|example|mock|fake|sample|dummy|policy|limit|tokenizer|tokens$|strength|input$|prompt$|message$|key_?ref$/i;
const ASSIGN = /(?:["']\]|["'\]])?\s*(?::=|=>|===?|\?\?=|\|\|=|[:=])\s*(?:[brufBRUF]{1,2}(?=["'`]))?/y;
const QUOTED = /(["'`])(?:(?:Bearer|Basic|Token|token|bearer) +)?([^"'`\s\\]{6,400})\1/y;
/** Atomic (lookahead + backreference): the longest run or nothing, so a failed match never backtracks. */
const UNQUOTED = /(?=([^\s"'`,;#()[\]{}<>]{8,400}))\1(?=[ \t]*(?:$|[\r\n#;,]))/my;
/** `config.apiKey`, `getToken()`: a reference to a value, not one (a single bare word may well be a key). */
const IDENTIFIER_CHAIN = /^[A-Za-z_$][\w$]*(?:(?:\.[A-Za-z_$][\w$]*)+(?:\(\))?|\(\))$/;
const WORDY = /^[A-Za-z]+(?:[ ._/:-][A-Za-z]+)*(?:\.[a-z]{1,5})?$/;
/** `FlowPasswordRequiredResultV2`, `sessionKey2`, `user_auth_token`: identifiers, as constants or references. */
const CAMEL_WORDS = /^[a-z]+(?:[A-Z][a-z]+)+(?:[A-Z]?\d{1,3})?$|^(?:[A-Z][a-z]+){2,}(?:[A-Z]?\d{1,3})?$|^[a-z]+(?:_[a-z]+)+\d{0,3}$/;
/** Paths and URL paths: `/oauth2/v2.0/token`, `./certs/dev`, `config/secrets.yaml`. */
const PATH_LIKE = /^\.{0,2}\/|^[a-z0-9._-]+(?:\/[a-z0-9._-]+)+\/?$/;
/** Regular expression sources: `[A-Za-z0-9._~+/-]+=*`. */
const REGEX_LIKE = /\[[^\]]*-[^\]]*\]|\(\?|\\[dwsb]|\][+*?{]/;
const INTERPOLATION = /\$\{|#\{|\{\{|%\(|%s/;
const NAMES_A_SECRET = /password|passwd|secret|token|apikey|api_key/i;
const NON_ASCII = /[^\x20-\x7e]/;

/**
 * A secret-looking name at `at`: if a literal is assigned to it, classify the value. Returns where scanning
 * resumes (the end of the name, so one name is looked at once).
 */
function checkAssignment(
  text: string,
  at: number,
  length: number,
  unquoted: boolean,
  out: SecretMatch[],
  fire: (kind: string) => void,
): number {
  let nameStart = at;
  while (nameStart > 0 && isNameChar(text.charCodeAt(nameStart - 1))) nameStart--;
  let nameEnd = at + length;
  while (nameEnd < text.length && isNameChar(text.charCodeAt(nameEnd))) nameEnd++;
  // Shaped secrets announced by a name: key blocks, service-account JSON, Azure connection strings.
  const c = text.charCodeAt(at);
  if (c === 75 || c === 107) {
    if (text.startsWith('PRIVATE KEY', at - 8)) fire('private-key');
    else if (text.startsWith('private_key', at - 8)) fire('gcp-service-account-key');
    else if (text.startsWith('AccountKey=', at - 7) || text.startsWith('SharedAccessKey=', at - 12)) fire('azure-storage-key');
  } else if (c === 122 || c === 90) {
    // `zation`: an Authorization header, whose value after the scheme word is never an assignment's.
    fire('authorization-header');
  }
  ASSIGN.lastIndex = nameEnd;
  const a = ASSIGN.exec(text);
  if (!a) return nameEnd;
  const name = text.slice(nameStart, nameEnd);
  if (!SECRET_NAME.test(name) || NOT_SECRET_NAME.test(name)) return nameEnd;
  const valueAt = nameEnd + a[0].length;
  let value: string;
  let start: number;
  QUOTED.lastIndex = valueAt;
  const q = QUOTED.exec(text);
  if (q) {
    value = q[2];
    start = valueAt + q[0].length - 1 - value.length;
  } else {
    if (!unquoted || a[0].includes('==')) return nameEnd;
    UNQUOTED.lastIndex = valueAt;
    const u = UNQUOTED.exec(text);
    if (!u || IDENTIFIER_CHAIN.test(u[1])) return nameEnd;
    value = u[1];
    start = valueAt;
  }
  const kind = classify(name, value);
  if (kind) out.push({ kind, title: SECRET_KIND_TITLES[kind], start, end: start + value.length, value, rangeStart: start, rangeEnd: start + value.length });
  return nameEnd;
}

function classify(name: string, value: string): string | undefined {
  if (isPlaceholder(value) || isEnvReference(value) || isBenignRandom(value) || isKnownPublicValue(value)) return undefined;
  if (
    WORDY.test(value) ||
    CAMEL_WORDS.test(value) ||
    PATH_LIKE.test(value) ||
    REGEX_LIKE.test(value) ||
    INTERPOLATION.test(value) ||
    NON_ASCII.test(value) ||
    NAMES_A_SECRET.test(value) ||
    /^(?:[a-z][a-z0-9+.-]*):\/\//i.test(value)
  )
    return undefined;
  const lower = name.toLowerCase();
  if (/passw|pwd|passphrase/.test(lower)) return looksRandom(value, true) ? 'password-assignment' : undefined;
  if (!looksRandom(value, false)) return undefined;
  // Letters only: demand more randomness, since words and identifiers are letters only too.
  if (!/\d/.test(value) && !(value.length >= 20 && charClasses(value) >= 2 && shannonEntropy(value) >= 3.7)) return undefined;
  if (/aws/.test(lower) && /secret/.test(lower) && /^[A-Za-z0-9/+]{40}$/.test(value)) return 'aws-secret-access-key';
  if (/azure|storage|account_?key/.test(lower) && /^[A-Za-z0-9+/]{86}==$/.test(value)) return 'azure-storage-key';
  return 'generic-secret';
}
