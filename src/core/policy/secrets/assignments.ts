import { knownFormat } from './detectors';
import {
  charClasses,
  isBenignRandom,
  isEnvReference,
  isKnownPublicValue,
  isPlaceholder,
  looksRandom,
  shannonEntropy,
} from './heuristics';

/** A value assigned to a secret-looking name, with the kind `classify` gave it. */
export interface AssignedSecret {
  readonly kind: string;
  readonly start: number;
  readonly end: number;
  readonly value: string;
}

/** The name must say "secret"; `key` alone (cacheKey, sortKey) does not. */
const SECRET_NAME =
  /secret|token|passw(?:or)?d|passphrase|pwd|api[_.-]?key|access[_.-]?key|private[_.-]?key|auth[_.-]?key|credential|signing[_.-]?key|encryption[_.-]?key|master[_.-]?key|(?:storage|account|shared|service|app|consumer|subscription|license|webhook)[_.-]?key|authorization|(?:^|[_.-])pass$|^pass$|requirepass|masterauth|(?:^|_)auth$/i;
/** [A-Za-z0-9_.-] */
export function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 45;
}
/** Names that hold something about a secret (its hash, id, length, where it lives) rather than the secret. */
const NOT_SECRET_NAME =
  /public|publishable|hash|digest|checksum|sha\d|md5|fingerprint|(?:^|[_.-])id$|[a-z]Id$|name$|type$|field$|label$|url$|uri$|path$|file$|dir$|endpoint$|header$|prefix$|length$|count$|size$|expir|ttl$|timeout|format|pattern|regex|placeholder|example|mock|fake|sample|dummy|policy|limit|tokenizer|tokens$|strength|input$|prompt$|message$|key_?ref$/i;

/**
 * Between a name and its value, in the syntaxes we read: a closing quote or bracket (`"token":`, `['token'] =`),
 * a type (`var apiToken string =`, `val apiToken: String =`, `const T: &str =`), then the operator: `=`, `:`,
 * `:=`, `::=`, `:::=` (Make, Go), `?=`, `+=`, `.=` (PHP), `??=`, `||=`, `=>`, `<-` (R), `==`/`===` (a hard-coded
 * comparison). Horizontal space only: an empty `password=` must not take the next line as its value.
 */
const ASSIGN =
  /(?:["'`]\]?|\])?(?:[ \t]+(?:string|\[\]byte)(?=[ \t]*=)|[ \t]*:[ \t]*&?(?:'static[ \t]+)?[A-Za-z_][\w.]*(?:<[^>\n]{0,40}>)?(?:\[\])?\??(?=[ \t]*=))?[ \t]*(?::{1,3}=|\?\?=|\|\|=|\.=|\+=|\?=|<-|=>|===?|[:=])[ \t]*/y;
/** After the operator: a string prefix (Python b"", C# and Objective-C @""), a Make shell echo, a YAML block. */
const VALUE_PREFIX = /(?:[brufBRUF]{1,2}|@)(?=["'`])|\$\(shell[ \t]+(?:echo|printf)[ \t]+(?:-n[ \t]+)?|[|>][-+]?[ \t]*\r?\n[ \t]+/y;
const QUOTED: Record<string, RegExp> = {
  '"': /(?:(?:Bearer|Basic|Token|token|bearer) +)?((?:\\.|[^"\\\s]){6,4096})"/y,
  "'": /(?:(?:Bearer|Basic|Token|token|bearer) +)?((?:\\.|[^'\\\s]){6,4096})'/y,
  '`': /(?:(?:Bearer|Basic|Token|token|bearer) +)?((?:\\.|[^`\\\s]){6,4096})`/y,
};
/** Atomic (lookahead + backreference): the longest run or nothing, so a failed match never backtracks. */
const UNQUOTED = /(?=([^\s"'`,;()[\]{}<>\\]{8,4096}))\1(?=[ \t]*(?:$|[\r\n;,)<"'`]|#|\\[nrt]))/my;
/** Inside a string literal (`"…\nAPI_TOKEN=…\n…"`) the value ends at an escape or the closing quote. */
const IN_STRING_END = /[ \t]*(?:\\[nrt]|["'`])/y;
const XML_VALUE = /\s*([^<\s]{6,4096})\s*<\//y;
const PLIST_VALUE = /<\/key>\s*<string>([^<\s]{6,4096})<\/string>/y;
const DOTNET_VALUE = /["'][ \t]+value[ \t]*=[ \t]*"([^"\s]{6,4096})"/y;
const CONF_SPACE = /[ \t]+(?=[^\s=:])/y;

/** `config.apiKey`, `getToken()`: a reference to a value, not one (a single bare word may well be a key). */
const IDENTIFIER_CHAIN = /^[A-Za-z_$][\w$]*(?:(?:\.[A-Za-z_$][\w$]*)+(?:\(\))?|\(\))$/;
const WORDY = /^[A-Za-z]+(?:[ ._/:-][A-Za-z]+)*(?:\.[a-z]{1,5})?$/;
/** `FlowPasswordRequiredResultV2`, `sessionKey2`, `user_auth_token`: identifiers, as constants or references. */
const CAMEL_WORDS = /^[a-z]+(?:[A-Z][a-z]+)+(?:[A-Z]?\d{1,3})?$|^(?:[A-Z][a-z]+){2,}(?:[A-Z]?\d{1,3})?$|^[a-z]+(?:_[a-z]+)+\d{0,3}$/;
/** Paths and URL paths: `/oauth2/v2.0/token`, `./certs/dev`, `config/secrets.yaml`. */
const PATH_LIKE = /^\.{0,2}\/[\w.@-]*(?:\/[\w.@-]+)*\/?$|^[a-z0-9._-]+(?:\/[a-z0-9._-]+)+\/?$/;
/** Regular expression sources: `[A-Za-z0-9._~+/-]+=*`. */
const REGEX_LIKE = /\[[^\]]*-[^\]]*\]|\(\?|\\[dwsb]|\][+*?{]/;
const INTERPOLATION = /\$\{|#\{|\{\{|%\(|%s/;
const NAMES_A_SECRET = /password|passwd|secret|token|apikey|api_key/i;
const NON_ASCII = /[^\x20-\x7e]/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Quotes, brackets, blanks between a name and its operator; the characters an operator (or a type) starts with. */
const QUICK_SKIP = new Set([34, 39, 96, 93, 32, 9]);
const QUICK_NEXT = new Set([...'=:,>.+?<!|&@s[v'].map((c) => c.charCodeAt(0)));

/**
 * Reads `NAME <op> value` for the name around `at` (a trigger hit inside it). `unquoted` allows bare values, as in
 * .env, YAML, INI and shell files; in code a bare right-hand side is an expression, except inside a string literal
 * or between XML tags. Returns where scanning resumes (the end of the name) and the secret, if the value is one.
 */
export function readAssignment(text: string, at: number, length: number, unquoted: boolean): { resume: number; secret?: AssignedSecret } {
  let nameStart = at;
  while (nameStart > 0 && isNameChar(text.charCodeAt(nameStart - 1))) nameStart--;
  // `"…\nAPI_TOKEN=…"`: the `n` of an escaped newline is not part of the name.
  if (text.charCodeAt(nameStart - 1) === 92 && /[nrt]/.test(text[nameStart])) nameStart++;
  let nameEnd = at + length;
  while (nameEnd < text.length && isNameChar(text.charCodeAt(nameEnd))) nameEnd++;
  // Resume just past the trigger, not the name: a `key-…` or `tskey-…` token is a name to this reader and a token
  // whose prefix the trigger pass must still see.
  const resume = at + length;
  // Most name hits in code are no assignment (`token.length`, `keyof`, `getSecret(`): one character tells.
  let n = nameEnd;
  while (n < text.length && QUICK_SKIP.has(text.charCodeAt(n))) n++;
  if (!QUICK_NEXT.has(text.charCodeAt(n)) && !(unquoted && n > nameEnd)) return { resume };
  const found = findValue(text, nameStart, nameEnd, unquoted);
  if (!found) return { resume };
  const name = text.slice(nameStart, nameEnd);
  if (!SECRET_NAME.test(name) || NOT_SECRET_NAME.test(name)) return { resume };
  const kind = classify(name, found.value);
  return kind ? { resume, secret: { kind, start: found.start, end: found.start + found.value.length, value: found.value } } : { resume };
}

function findValue(text: string, nameStart: number, nameEnd: number, unquoted: boolean): { value: string; start: number } | undefined {
  const before = text.charCodeAt(nameStart - 1);
  const sticky = (re: RegExp, from: number) => {
    re.lastIndex = from;
    const m = re.exec(text);
    return m ? { value: m[1], start: m.index + m[0].indexOf(m[1]) } : undefined;
  };
  // XML: `<password>value</password>`, the value possibly on its own line; plist `<key>NAME</key><string>…`.
  if (before === 60 /* < */ && text.charCodeAt(nameEnd) === 62 /* > */) return sticky(XML_VALUE, nameEnd + 1);
  if (text.startsWith('<key>', nameStart - 5)) return sticky(PLIST_VALUE, nameEnd);
  // .NET config `<add key="ApiToken" value="…" />`.
  if (text.startsWith('key=', nameStart - 5) && (before === 34 || before === 39)) return sticky(DOTNET_VALUE, nameEnd);
  let p = nameEnd;
  const quotedName = before === 34 || before === 39;
  // `System.setProperty("API_TOKEN", "…")`, `os.environ.setdefault("TOKEN", "…")`, `put("password", "…")`.
  if (quotedName && text.charCodeAt(p) === before && /^[ \t]*,[ \t]*["']/.test(text.slice(p + 1, p + 12))) {
    p = text.indexOf(',', p) + 1;
    while (text.charCodeAt(p) === 32 || text.charCodeAt(p) === 9) p++;
    return readQuoted(text, p);
  }
  ASSIGN.lastIndex = p;
  const a = ASSIGN.exec(text);
  let block = false;
  if (a) {
    p += a[0].length;
    VALUE_PREFIX.lastIndex = p;
    const pre = VALUE_PREFIX.exec(text);
    if (pre) {
      block = pre[0][0] !== '@' && !/^[brufBRUF]/.test(pre[0]);
      p += pre[0].length;
    }
  } else {
    // `.conf` style `password s3cr3t`: the name starts its line and one token follows.
    if (!unquoted || !lineStartsAt(text, nameStart)) return undefined;
    CONF_SPACE.lastIndex = p;
    if (!CONF_SPACE.exec(text)) return undefined;
    p = CONF_SPACE.lastIndex;
  }
  const q = readQuoted(text, p);
  if (q) return q;
  if (a && a[0].includes('==')) return undefined;
  const inString = quotedName || text.startsWith('\\n', nameStart - 2) || text.startsWith('\\t', nameStart - 2);
  if (!unquoted && !block && !inString) return undefined;
  UNQUOTED.lastIndex = p;
  const u = UNQUOTED.exec(text);
  if (!u || IDENTIFIER_CHAIN.test(u[1])) return undefined;
  if (!unquoted && !block) {
    IN_STRING_END.lastIndex = p + u[1].length;
    if (!IN_STRING_END.test(text)) return undefined;
  }
  return { value: u[1], start: p };
}

function readQuoted(text: string, p: number): { value: string; start: number } | undefined {
  const c = text[p];
  const re = QUOTED[c];
  if (!re) return undefined;
  // TOML / Python triple quotes.
  const open = text.startsWith(c.repeat(3), p) ? 3 : 1;
  re.lastIndex = p + open;
  const m = re.exec(text);
  if (!m) return undefined;
  return { value: m[1], start: re.lastIndex - 1 - m[1].length };
}

function lineStartsAt(text: string, at: number): boolean {
  for (let i = at - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === 10) return true;
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

export function classify(name: string, value: string): string | undefined {
  // npm's legacy tokens are UUIDs: under `_authToken` a UUID is the credential, not an id.
  if (/_authToken$/.test(name) && UUID.test(value)) return 'npm-token';
  if (isPlaceholder(value) || isEnvReference(value) || isBenignRandom(value) || isKnownPublicValue(value)) return undefined;
  const format = knownFormat(value);
  if (format === 'malformed') return undefined;
  if (format) return format.kind;
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
  if (/passw|pwd|passphrase|pass$|requirepass|masterauth/.test(lower)) return looksRandom(value, true) ? 'password-assignment' : undefined;
  if (!looksRandom(value, false)) return undefined;
  // Letters only: demand more randomness, since words and identifiers are letters only too.
  if (!/\d/.test(value) && !(value.length >= 20 && charClasses(value) >= 2 && shannonEntropy(value) >= 3.7)) return undefined;
  if (/aws/.test(lower) && /secret/.test(lower) && /^[A-Za-z0-9/+]{40}$/.test(value)) return 'aws-secret-access-key';
  if (/azure|storage|account_?key/.test(lower) && /^[A-Za-z0-9+/]{86}==$/.test(value)) return 'azure-storage-key';
  return 'generic-secret';
}
