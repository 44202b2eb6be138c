/**
 * Cheap value tests that separate real secrets from the things that only look like them: placeholders, env
 * references, hashes, UUIDs, integrity strings, published documentation examples.
 */

/** Shannon entropy in bits per character. */
export function shannonEntropy(value: string): number {
  const len = value.length;
  if (len === 0) return 0;
  const counts = new Map<number, number>();
  for (let i = 0; i < len; i++) {
    const c = value.charCodeAt(i);
    counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  let h = 0;
  for (const n of counts.values()) {
    const p = n / len;
    h -= p * Math.log2(p);
  }
  return h;
}

/** How many of lower, upper, digit, symbol the value uses. */
export function charClasses(value: string): number {
  let lower = 0;
  let upper = 0;
  let digit = 0;
  let other = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 97 && c <= 122) lower = 1;
    else if (c >= 65 && c <= 90) upper = 1;
    else if (c >= 48 && c <= 57) digit = 1;
    else other = 1;
  }
  return lower + upper + digit + other;
}

/** Keys published in vendor documentation or shipped with local emulators: public by design. */
const KNOWN_PUBLIC_VALUES = new Set([
  'AKIAIOSFODNN7EXAMPLE',
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  // Azurite / Azure Storage Emulator well-known account key.
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==',
  // The jwt.io sample token.
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
]);

const PLACEHOLDER_WORDS =
  /your[_-]?|placeholder|example|changeme|change[_-]me|dummy|sample|redacted|replace[_-]?me|insert[_-]|todo|fixme|lorem|<[^>]*>|\{\{|\}\}|%\(|\.\.\.|…/i;
const REPEATED = /(.)\1{5,}|x{4,}|\*{3,}|#{3,}/i;
const REPEATED_RUNS = /(.)\1{3,}|x{4,}/gi;
/** Keyboard and alphabet runs, and the `abc123` / `def456` fillers documentation uses (Firebase's sample keys). */
const SEQUENTIAL = /0123456|1234567|abcdefg|qwerty|abc[-_]?123|123[-_]?abc|def[-_]?456|ghi[-_]?789|xyz[-_]?789|123[-_]?xyz/i;
const ENV_REFERENCE =
  /^\$\{[^}]*\}$|^\$\(?[A-Za-z_][A-Za-z0-9_]*\)?$|^%[A-Za-z_][A-Za-z0-9_]*%$|process\.env|import\.meta\.env|os\.environ|os\.getenv|getenv\(|System\.getenv|ENV\[|env\(|secrets\.|vault:|\$\{\{/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEX_HASH = /^(?:[0-9a-f]{32}|[0-9a-f]{40}|[0-9a-f]{64}|[0-9a-f]{128})$/i;
const SRI = /^sha(?:256|384|512)-[A-Za-z0-9+/]+={0,2}$/;
/** ALL_CAPS_NAMES are env var names or constants standing in for a value, not the value. */
const SCREAMING_NAME = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;

export function isKnownPublicValue(value: string): boolean {
  return KNOWN_PUBLIC_VALUES.has(value);
}

/** Placeholder, template or masked value: `YOUR_API_KEY`, `xxxx`, `<token>`, `sk-ant-...`, `changeme`. */
export function isPlaceholder(value: string): boolean {
  return (
    placeholderWord(value) ||
    (REPEATED.test(value) && mostlyRepeats(value)) ||
    SEQUENTIAL.test(value) ||
    SCREAMING_NAME.test(value) ||
    KNOWN_PUBLIC_VALUES.has(value)
  );
}

/**
 * A long random value holds short words by chance (`…doRnfToDOx…`); there a word counts only when written in one
 * case, as people write `your-token`, `TODO` or `changeme`.
 */
function placeholderWord(value: string): boolean {
  const m = PLACEHOLDER_WORDS.exec(value);
  if (!m) return false;
  if (value.length < 32 || shannonEntropy(value) < 4.5) return true;
  const w = m[0];
  return w === w.toLowerCase() || w === w.toUpperCase();
}

/**
 * A run of one character marks a placeholder in a short value (`xxxxxx`, `000000`), but long binary encodings hold
 * runs naturally: the zero-padded length fields of an OpenSSH key or an AWS session token are runs of `A` or `/`.
 * Long values count as placeholders only when the runs are a large part of them.
 */
function mostlyRepeats(value: string): boolean {
  if (value.length < 40) return true;
  let inRuns = 0;
  for (const m of value.matchAll(REPEATED_RUNS)) inRuns += m[0].length;
  return inRuns / value.length > 0.3 || shannonEntropy(value.replace(REPEATED_RUNS, '')) < 3.5;
}

export function isEnvReference(value: string): boolean {
  return ENV_REFERENCE.test(value);
}

/** Values that are random-looking but public by nature. */
export function isBenignRandom(value: string): boolean {
  return UUID.test(value) || SRI.test(value) || value.startsWith('data:');
}

export function isHexHash(value: string): boolean {
  return HEX_HASH.test(value);
}

/**
 * A value assigned to a secret-looking name counts as a secret when it is random enough. Passwords are allowed
 * to be shorter and less random than API keys, since people pick them.
 */
export function looksRandom(value: string, passwordName: boolean): boolean {
  const len = value.length;
  if (passwordName) {
    if (len < 8) return false;
    const classes = charClasses(value);
    return classes >= 3 || (classes >= 2 && shannonEntropy(value) >= 3.0 && len >= 12);
  }
  if (len < 16) return false;
  const h = shannonEntropy(value);
  const classes = charClasses(value);
  if (isHexHash(value)) return true; // hex under a secret name (API keys are often hex)
  return classes >= 2 && h >= (len >= 32 ? 3.5 : 3.2);
}
