// Which bus a run uses (`llmgenie.agents.bus` / `--bus`) and where a Redis password may come from. A password
// is read from the environment or secret storage, never from a settings file, and no message ever shows one.
import { createHash } from 'node:crypto';

export type BusChoice = { kind: 'embedded' } | { kind: 'redis'; url: string };

/** Environment variables the Redis bus reads (the CLI and the extension host alike). */
export const REDIS_URL_ENV = 'LLMGENIE_REDIS_URL';
export const REDIS_PASSWORD_ENV = 'LLMGENIE_REDIS_PASSWORD';

export class BusConfigError extends Error {}

/**
 * `embedded` (or empty) or a `redis://` / `rediss://` URL. `source` says where the value came from: a URL from a
 * settings file must not carry a password (it would sit in a file that is shared, synced and shown).
 */
export function parseBusChoice(value: string | undefined, source: 'setting' | 'cli' | 'env'): BusChoice {
  const v = (value ?? '').trim();
  if (!v || v === 'embedded') return { kind: 'embedded' };
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    throw new BusConfigError(`bus must be "embedded" or a redis:// URL, not "${maskSecretsInText(v)}"`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new BusConfigError(`bus must be "embedded" or a redis:// URL, not a ${url.protocol.replace(/:$/, '')}: URL`);
  }
  if (!url.hostname) throw new BusConfigError(`the Redis URL ${maskRedisUrl(v)} has no host`);
  if (source === 'setting' && url.password) {
    throw new BusConfigError(
      `llmgenie.agents.bus holds a password (${maskRedisUrl(v)}): remove it from settings and set it with "llmgenie: Set Redis Password" or ${REDIS_PASSWORD_ENV}`,
    );
  }
  return { kind: 'redis', url: v };
}

/**
 * The bus from, in order: the CLI flag, `LLMGENIE_REDIS_URL`, the setting. The password: `LLMGENIE_REDIS_PASSWORD`,
 * then secret storage (the editor passes it), then one inside a CLI/env URL.
 */
export function resolveBusChoice(input: {
  cli?: string;
  setting?: string;
  env: Readonly<Record<string, string | undefined>>;
  secretPassword?: string;
}): { choice: BusChoice; password?: string } {
  const choice = input.cli
    ? parseBusChoice(input.cli, 'cli')
    : input.env[REDIS_URL_ENV]
      ? parseBusChoice(input.env[REDIS_URL_ENV], 'env')
      : parseBusChoice(input.setting, 'setting');
  const password = input.env[REDIS_PASSWORD_ENV] || input.secretPassword || undefined;
  return password ? { choice, password } : { choice };
}

/** The URL with its password (and a user that could be a token) replaced by `***`: safe for any message. */
export function maskRedisUrl(raw: string): string {
  try {
    const u = new URL(raw);
    if (u.password) u.password = '***';
    return u.toString().replace(/\/$/, '');
  } catch {
    return maskSecretsInText(raw);
  }
}

/** Masks `scheme://user:password@` in free text (error messages from the client can quote a URL). */
export function maskSecretsInText(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)([^\s/:@]*):([^\s/@]+)@/gi, '$1$2:***@');
}

/**
 * The bus namespace of a workspace: every clone of one repository shares it, so it comes from the team remote's
 * URL (scheme, credentials and `.git` dropped), readable plus a short hash: `llmgenie-3f2a9c1b`.
 */
export function workspaceBusId(remoteUrl: string): string {
  const normal = remoteUrl
    .trim()
    .replace(/^[a-z+]+:\/\//i, '')
    .replace(/^[^@/]*@/, '')
    .replace(/:(?!\d)/, '/')
    .replace(/\.git\/?$/, '')
    .replace(/\/+$/, '')
    .toLowerCase();
  const name = (normal.split('/').pop() || 'workspace').replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'workspace';
  return `${name}-${createHash('sha1').update(normal).digest('hex').slice(0, 8)}`;
}
