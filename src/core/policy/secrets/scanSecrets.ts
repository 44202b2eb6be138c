import { DETECTORS } from './detectors';
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

/** Finds every secret in `text`, non-overlapping, ordered by position. */
export function scanSecrets(text: string, options: ScanOptions = {}): SecretMatch[] {
  const found: SecretMatch[] = [];
  for (const d of DETECTORS) {
    if (!d.needles.some((n) => text.includes(n))) continue;
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
  if (text.includes('://')) scanConnectionStrings(text, found);
  scanAssignments(text, found, options.unquotedValues ?? true);
  return found.sort((a, b) => a.start - b.start);
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

const KEYWORD =
  /secret|token|passw(?:or)?d|passphrase|pwd|api[_.-]?key|access[_.-]?key|private[_.-]?key|auth[_.-]?key|credential|signing[_.-]?key|encryption[_.-]?key|master[_.-]?key|(?:storage|account|shared|service|app|consumer|subscription|license|webhook|signing)[_.-]?key|authorization/gi;
const NAME_CHAR = /[A-Za-z0-9_.-]/;
/** Names that hold something about a secret (its hash, id, length, where it lives) rather than the secret. */
const NOT_SECRET_NAME =
  /public|publishable|hash|digest|checksum|sha\d|md5|fingerprint|(?:^|[_.-])id$|[a-z]Id$|name$|type$|field$|label$|url$|uri$|path$|file$|dir$|endpoint$|header$|prefix$|length$|count$|size$|expir|ttl$|timeout|format|pattern|regex|placeholder|example|mock|fake|sample|dummy|policy|limit|tokenizer|tokens$|strength|input$|prompt$|message$|key_?ref$/i;
const ASSIGN = /(?:["']\]|["'\]])?\s*(?::=|=>|===?|\?\?=|\|\|=|[:=])\s*(?:[brufBRUF]{1,2}(?=["'`]))?/y;
const QUOTED = /(["'`])(?:(?:Bearer|Basic|Token|token|bearer) +)?([^"'`\s\\]{6,400})\1/y;
const UNQUOTED = /([^\s"'`,;#()[\]{}<>]{8,400})(?=[ \t]*(?:$|[\r\n#;,]))/my;
/** `config.apiKey`, `getToken()`: a reference to a value, not one (a single bare word may well be a key). */
const IDENTIFIER_CHAIN = /^[A-Za-z_$][\w$]*(?:(?:\.[A-Za-z_$][\w$]*)+(?:\(\))?|\(\))$/;
const WORDY = /^[A-Za-z]+(?:[ ._/:-][A-Za-z]+)*(?:\.[a-z]{1,5})?$/;
/** `FlowPasswordRequiredResultV2`, `resetPasswordStart`: identifiers used as string constants. */
const CAMEL_WORDS = /^[a-z]+(?:[A-Z][a-z]+){2,}(?:[A-Z]?\d+)?$|^(?:[A-Z][a-z]+){3,}(?:[A-Z]?\d+)?$/;
/** Paths and URL paths: `/oauth2/v2.0/token`, `./certs/dev`, `config/secrets.yaml`. */
const PATH_LIKE = /^\.{0,2}\/|^[a-z0-9._-]+(?:\/[a-z0-9._-]+)+\/?$/;
/** Regular expression sources: `[A-Za-z0-9._~+/-]+=*`. */
const REGEX_LIKE = /\[[^\]]*-[^\]]*\]|\(\?|\\[dwsb]|\][+*?{]/;
const INTERPOLATION = /\$\{|#\{|\{\{|%\(|%s/;
const NAMES_A_SECRET = /password|passwd|secret|token|apikey|api_key/i;
const NON_ASCII = /[^\x20-\x7e]/;

function scanAssignments(text: string, found: SecretMatch[], unquoted: boolean): void {
  KEYWORD.lastIndex = 0;
  for (let k = KEYWORD.exec(text); k; k = KEYWORD.exec(text)) {
    let nameStart = k.index;
    while (nameStart > 0 && NAME_CHAR.test(text[nameStart - 1])) nameStart--;
    let nameEnd = k.index + k[0].length;
    while (nameEnd < text.length && NAME_CHAR.test(text[nameEnd])) nameEnd++;
    KEYWORD.lastIndex = nameEnd;
    const name = text.slice(nameStart, nameEnd);
    if (NOT_SECRET_NAME.test(name)) continue;
    ASSIGN.lastIndex = nameEnd;
    const a = ASSIGN.exec(text);
    if (!a) continue;
    const valueAt = nameEnd + a[0].length;
    let value: string;
    let start: number;
    QUOTED.lastIndex = valueAt;
    const q = QUOTED.exec(text);
    if (q) {
      value = q[2];
      start = valueAt + q[0].length - 1 - value.length;
    } else {
      if (!unquoted || a[0].includes('==')) continue;
      UNQUOTED.lastIndex = valueAt;
      const u = UNQUOTED.exec(text);
      if (!u || IDENTIFIER_CHAIN.test(u[1])) continue;
      value = u[1];
      start = valueAt;
    }
    const kind = classify(name, value);
    if (!kind) continue;
    const end = start + value.length;
    add(found, { kind, title: SECRET_KIND_TITLES[kind], start, end, value, rangeStart: start, rangeEnd: end });
  }
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
