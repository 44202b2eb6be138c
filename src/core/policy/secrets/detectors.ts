import { CATALOGUE, type CatalogueEntry } from './catalogue';
import { charClasses, isEnvReference, isKnownPublicValue, isPlaceholder, looksRandom, shannonEntropy } from './heuristics';

/**
 * A compiled detector. Catalogue entries compile to these once at load; the few kinds that need more than a shape
 * (key blocks, JWTs, headers) are written out below. Each runs only when the scanner's trigger pass has seen one of
 * its keywords (see scanSecrets), so a clean file never reaches these regexes.
 */
export interface Detector {
  readonly kind: string;
  readonly title: string;
  /** Global regex. Named group `secret` marks the span to report and mask; otherwise the whole match. */
  readonly regex: RegExp;
  /** Extra check on the secret span; false rejects the match. */
  readonly accept?: (secret: string) => boolean;
  /** Underline the whole match (key blocks) rather than just the secret span. */
  readonly underlineWholeMatch?: boolean;
  readonly keywords: readonly string[];
  /** Hand-written detectors are fired by the scanner itself (a name, `eyJ`, a hint), not by their keywords. */
  readonly firedByHand?: boolean;
}

/** A token body of random characters: not a placeholder and not one repeated chunk. */
const randomBody = (minEntropy: number, oneClass = false) => (s: string): boolean =>
  !isPlaceholder(s) && shannonEntropy(s) >= minEntropy && (oneClass || charClasses(s) >= 2);

const LEFT = '(?<![A-Za-z0-9_+/-])';
const RIGHT = '(?![A-Za-z0-9_+/-])';

function compileEntry(e: CatalogueEntry): Detector {
  const source = e.bounded ? e.shape : `${LEFT}(?:${e.shape})${RIGHT}`;
  const allow = new Set(e.allow ?? []);
  const prefixes = [...e.keywords].sort((a, b) => b.length - a.length);
  const body = randomBody(e.entropy, e.oneClass);
  return {
    kind: e.id,
    title: e.title,
    regex: new RegExp(e.group ? source.replace(`(?<${e.group}>`, '(?<secret>') : source, 'g'),
    keywords: e.keywords,
    accept: (s) => {
      if (allow.has(s) || isKnownPublicValue(s)) return false;
      const p = prefixes.find((k) => s.startsWith(k));
      return body(p ? s.slice(p.length) : s);
    },
  };
}

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(Buffer.from(part.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8')) as unknown;
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Claims test fixtures and documentation use: the jwt.io sample's, and obvious test identities. */
const SAMPLE_CLAIM = /^(?:john doe|jane doe|1234567890|test(?:[ _-]?user)?|foo|bar|example|user@example\.com|test@example\.com)$/i;

function isSignedRealJwt(token: string): boolean {
  const [head, payload] = token.split('.');
  const h = decodeJson(head);
  // `alg: none` tokens carry no signature, so nothing secret signs them.
  if (!h || typeof h.alg !== 'string' || h.alg.toLowerCase() === 'none') return false;
  const p = decodeJson(payload);
  if (!p) return true;
  return !Object.values(p).some((v) => typeof v === 'string' && SAMPLE_CLAIM.test(v.trim()));
}

const SPECIAL: readonly Detector[] = [
  {
    kind: 'gcp-service-account-key',
    title: 'GCP service-account private key',
    firedByHand: true,
    underlineWholeMatch: true,
    keywords: ['private_key'],
    regex: /"private_key"\s*:\s*"(?<secret>-----BEGIN (?:RSA )?PRIVATE KEY-----\\n[A-Za-z0-9+/=\\]{64,}?\\n-----END (?:RSA )?PRIVATE KEY-----(?:\\n)?)"/g,
  },
  {
    kind: 'private-key',
    firedByHand: true,
    title: 'Private key',
    underlineWholeMatch: true,
    keywords: ['PRIVATE KEY'],
    // The body may sit in a real multi-line block or in a string with escaped `\n` separators. Bounded, so a
    // BEGIN line without an END costs a bounded look ahead (an 8192-bit RSA key is about 6.5 KB).
    regex: /-----BEGIN (?<label>(?:[A-Z0-9]+ )*)PRIVATE KEY(?: BLOCK)?-----(?:\\r|\\n|[\s"'+,])*(?<secret>(?:[A-Za-z0-9+/=:,-]|\\n|\\r|[\s"'+]){1,16384}?)(?:\\n|[\s"'+])*-----END \k<label>PRIVATE KEY(?: BLOCK)?-----/g,
    accept: (s) => {
      const body = s.replace(/\\[nr]|[\s"'+]|Proc-Type:[^\n]*|DEK-Info:[^\n]*/g, '');
      // Key bodies hold zero-padded length fields (runs of `A` in base64): judge the whole body's randomness,
      // not its runs, or every key `ssh-keygen` writes is taken for a placeholder.
      return body.length >= 40 && shannonEntropy(body) >= 4.5 && !/\.\.\.|…|your|example|placeholder/i.test(body);
    },
  },
  {
    kind: 'jwt',
    firedByHand: true,
    title: 'JSON Web Token',
    keywords: ['eyJ'],
    regex: /(?<![A-Za-z0-9_-])(?<secret>eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,})(?![A-Za-z0-9_.-])/g,
    accept: (s) => !isKnownPublicValue(s) && isSignedRealJwt(s),
  },
  {
    // After the shaped kinds, so `Bearer ghp_…` or `Bearer eyJ…` is reported as what it is.
    kind: 'authorization-header',
    firedByHand: true,
    title: 'Credential in an Authorization header',
    keywords: ['authorization', 'Authorization'],
    regex: /authorization["']?\s*[:=]\s*["']?(?:bearer|basic|token)\s+(?<secret>[A-Za-z0-9._~+/=-]{16,512})(?![A-Za-z0-9._~+/=-])/gi,
    accept: (s) => !isEnvReference(s) && randomBody(3.3)(s),
  },
  {
    kind: 'basic-auth-tuple',
    firedByHand: true,
    title: 'Password in an HTTP basic-auth pair',
    keywords: ['auth=('],
    // requests' `auth=("user", "password")`.
    regex: /[Aa]uth\s*=\s*\(\s*(["'])[^"'\r\n]{1,128}\1\s*,\s*(["'])(?<secret>[^"'\s]{6,128})\2\s*\)/g,
    accept: (s) => !isPlaceholder(s) && !isEnvReference(s) && !s.includes('$') && looksRandom(s, true),
  },
];

/** Catalogue entries whose prefix a value starts with, each with its shape anchored to the whole value. */
const KNOWN_PREFIXES: Array<{ prefix: string; kind: string; whole: RegExp }> = CATALOGUE.filter((e) => !e.bounded).flatMap((e) =>
  e.keywords.filter((k) => k.length >= 3).map((prefix) => ({ prefix, kind: e.id, whole: new RegExp(`^(?:${e.shape})$`) })),
);
const JWT_SHAPE = /^eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}$/;
/** Two-character prefixes and id:secret pairs, whose layout is checked on the whole value. */
const LOOSE_FORMATS: Array<{ kind: string; attempt: RegExp; whole: RegExp }> = [
  { kind: 'twilio-api-key', attempt: /^(?:SK|AC)[0-9a-f]{8,}$/, whole: /^(?:SK|AC)[0-9a-f]{32}$/ },
  { kind: 'telegram-bot-token', attempt: /^\d{3,12}:[\w-]+$/, whole: /^\d{8,10}:AA[\w-]{33}$/ },
  { kind: 'azure-ad-client-secret', attempt: /^[\w~.-]{3}\dQ~[\w~.-]+$/, whole: /^[\w~.-]{3}\dQ~[\w~.-]{31,34}$/ },
  { kind: 'discord-bot-token', attempt: /^[MNO][A-Za-z0-9]{20,}\.[\w.-]+$/, whole: /^[MNO][A-Za-z0-9]{23,27}\.[\w-]{6}\.[\w-]{27,38}$/ },
];

/**
 * A value under a secret-looking name that carries a provider's prefix is judged by that provider's format: in
 * shape it is that kind, out of shape (truncated, wrong alphabet, a documentation example like Telegram's
 * `123456:ABC-DEF…`) it is not a credential. Undefined when the value claims no known format.
 */
export function knownFormat(value: string): { kind: string } | 'malformed' | undefined {
  if (JWT_SHAPE.test(value)) return isSignedRealJwt(value) ? { kind: 'jwt' } : 'malformed';
  let claimed = false;
  for (const f of KNOWN_PREFIXES) {
    if (!value.startsWith(f.prefix)) continue;
    if (f.whole.test(value)) return { kind: f.kind };
    claimed = true;
  }
  for (const f of LOOSE_FORMATS) {
    if (!f.attempt.test(value)) continue;
    if (f.whole.test(value)) return { kind: f.kind };
    claimed = true;
  }
  return claimed ? 'malformed' : undefined;
}

/** Order matters on overlap: earlier detectors win, so the specific shapes come before generic ones. */
export const DETECTORS: readonly Detector[] = [...CATALOGUE.map(compileEntry), ...SPECIAL];
