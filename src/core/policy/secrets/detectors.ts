import { charClasses, isEnvReference, isKnownPublicValue, isPlaceholder, looksRandom, shannonEntropy } from './heuristics';

/**
 * Secret kinds with a recognisable shape. Each runs only when the scanner's single trigger pass has seen its
 * prefix (see scanSecrets), so a clean file never reaches these regexes.
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
}

const notPlaceholder = (s: string): boolean => !isPlaceholder(s);
/** A token body of random characters: not a placeholder and not one repeated chunk. */
const randomBody = (minEntropy: number) => (s: string): boolean =>
  !isPlaceholder(s) && shannonEntropy(s) >= minEntropy && charClasses(s) >= 2;

function decodesToJwtHeader(token: string): boolean {
  const head = token.slice(0, token.indexOf('.'));
  try {
    const json = Buffer.from(head.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
    const parsed = JSON.parse(json) as { alg?: unknown };
    // `alg: none` tokens carry no signature, so nothing secret signs them.
    return typeof parsed.alg === 'string' && parsed.alg.toLowerCase() !== 'none';
  } catch {
    return false;
  }
}

export const DETECTORS: readonly Detector[] = [
  {
    kind: 'aws-access-key-id',
    title: 'AWS access key ID',
    regex: /(?<![A-Za-z0-9])(?<secret>(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16})(?![A-Za-z0-9])/g,
    accept: (s) => !isKnownPublicValue(s) && !/EXAMPLE|X{6}/.test(s) && shannonEntropy(s) >= 3,
  },
  {
    kind: 'gcp-service-account-key',
    title: 'GCP service-account private key',
    underlineWholeMatch: true,
    regex: /"private_key"\s*:\s*"(?<secret>-----BEGIN (?:RSA )?PRIVATE KEY-----\\n[A-Za-z0-9+/=\\]{64,}?\\n-----END (?:RSA )?PRIVATE KEY-----(?:\\n)?)"/g,
  },
  {
    kind: 'gcp-api-key',
    title: 'Google Cloud API key',
    regex: /(?<![A-Za-z0-9_-])(?<secret>AIza[0-9A-Za-z_-]{35})(?![A-Za-z0-9_-])/g,
    accept: randomBody(3.5),
  },
  {
    kind: 'azure-storage-key',
    title: 'Azure storage / shared access key',
    regex: /(?:AccountKey|SharedAccessKey)=(?<secret>[A-Za-z0-9+/]{40,}={0,2})/g,
    accept: (s) => !isKnownPublicValue(s) && randomBody(4)(s),
  },
  {
    kind: 'github-token',
    title: 'GitHub token',
    regex: /(?<![A-Za-z0-9_])(?<secret>(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}))(?![A-Za-z0-9_])/g,
    accept: randomBody(3.5),
  },
  {
    kind: 'gitlab-token',
    title: 'GitLab personal access token',
    regex: /(?<![A-Za-z0-9_-])(?<secret>glpat-[A-Za-z0-9_-]{20,})(?![A-Za-z0-9_-])/g,
    accept: randomBody(3.3),
  },
  {
    kind: 'slack-webhook',
    title: 'Slack incoming webhook',
    regex: /(?<secret>https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/T[A-Z0-9]{6,}\/[AB][A-Z0-9]{6,}\/[A-Za-z0-9]{20,})/g,
    accept: (s) => randomBody(3)(s.slice(s.lastIndexOf('/') + 1)),
  },
  {
    kind: 'slack-token',
    title: 'Slack token',
    regex: /(?<![A-Za-z0-9])(?<secret>xox[abposre]-(?:[0-9]{6,}-){1,3}[A-Za-z0-9]{16,})(?![A-Za-z0-9-])/g,
    accept: (s) => randomBody(3.3)(s.slice(s.lastIndexOf('-') + 1)),
  },
  {
    kind: 'discord-webhook',
    title: 'Discord webhook',
    regex: /(?<secret>https:\/\/(?:(?:canary|ptb)\.)?discord(?:app)?\.com\/api\/webhooks\/\d{17,20}\/[A-Za-z0-9_-]{60,68})/g,
    accept: (s) => randomBody(3.5)(s.slice(s.lastIndexOf('/') + 1)),
  },
  {
    kind: 'stripe-secret-key',
    title: 'Stripe live secret key',
    regex: /(?<![A-Za-z0-9_])(?<secret>[sr]k_live_[A-Za-z0-9]{24,99})(?![A-Za-z0-9_])/g,
    accept: randomBody(3.5),
  },
  {
    kind: 'anthropic-api-key',
    title: 'Anthropic API key',
    regex: /(?<![A-Za-z0-9_-])(?<secret>sk-ant-(?:[a-z]+\d*-)?[A-Za-z0-9_-]{32,})(?![A-Za-z0-9_-])/g,
    accept: (s) => randomBody(4)(s.slice(7)),
  },
  {
    kind: 'openai-api-key',
    title: 'OpenAI API key',
    regex: /(?<![A-Za-z0-9_-])(?<secret>sk-(?!ant-)(?:(?:proj|svcacct|admin|None)-)?[A-Za-z0-9_-]{32,})(?![A-Za-z0-9_-])/g,
    accept: (s) => {
      const body = s.replace(/^sk-(?:(?:proj|svcacct|admin|None)-)?/, '');
      // Legacy keys embed "T3BlbkFJ" (base64 of "OpenAI"); newer ones are long, mixed-case and random.
      return s.includes('T3BlbkFJ') ? notPlaceholder(body) : randomBody(4)(body) && charClasses(body) >= 3;
    },
  },
  {
    kind: 'huggingface-token',
    title: 'Hugging Face token',
    regex: /(?<![A-Za-z0-9_])(?<secret>hf_[A-Za-z0-9]{34,40})(?![A-Za-z0-9_])/g,
    accept: (s) => randomBody(3.8)(s.slice(3)),
  },
  {
    kind: 'npm-token',
    title: 'npm access token',
    regex: /(?<![A-Za-z0-9_])(?<secret>npm_[A-Za-z0-9]{36})(?![A-Za-z0-9_])/g,
    accept: (s) => randomBody(3.8)(s.slice(4)),
  },
  {
    kind: 'private-key',
    title: 'Private key',
    underlineWholeMatch: true,
    // The body may sit in a real multi-line block or in a string with escaped `\n` separators. Bounded, so a
    // BEGIN line without an END costs a bounded look ahead (an 8192-bit RSA key is about 6.5 KB).
    regex: /-----BEGIN (?<label>(?:[A-Z0-9]+ )*)PRIVATE KEY(?: BLOCK)?-----(?:\\r|\\n|[\s"'+,])*(?<secret>(?:[A-Za-z0-9+/=:,-]|\\n|\\r|[\s"'+]){1,16384}?)(?:\\n|[\s"'+])*-----END \k<label>PRIVATE KEY(?: BLOCK)?-----/g,
    accept: (s) => {
      const body = s.replace(/\\[nr]|[\s"'+]|Proc-Type:[^\n]*|DEK-Info:[^\n]*/g, '');
      return body.length >= 40 && randomBody(4)(body);
    },
  },
  {
    kind: 'jwt',
    title: 'JSON Web Token',
    regex: /(?<![A-Za-z0-9_-])(?<secret>eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,})(?![A-Za-z0-9_.-])/g,
    accept: (s) => !isKnownPublicValue(s) && decodesToJwtHeader(s),
  },
  {
    // After the shaped kinds, so `Bearer ghp_…` or `Bearer eyJ…` is reported as what it is.
    kind: 'authorization-header',
    title: 'Credential in an Authorization header',
    regex: /authorization["']?\s*[:=]\s*["']?(?:bearer|basic|token)\s+(?<secret>[A-Za-z0-9._~+/=-]{16,512})(?![A-Za-z0-9._~+/=-])/gi,
    accept: (s) => !isEnvReference(s) && randomBody(3.3)(s),
  },
  {
    kind: 'basic-auth-tuple',
    title: 'Password in an HTTP basic-auth pair',
    // requests' `auth=("user", "password")`.
    regex: /[Aa]uth\s*=\s*\(\s*(["'])[^"'\r\n]{1,128}\1\s*,\s*(["'])(?<secret>[^"'\s]{6,128})\2\s*\)/g,
    accept: (s) => !isPlaceholder(s) && !isEnvReference(s) && !s.includes('$') && looksRandom(s, true),
  },
];
