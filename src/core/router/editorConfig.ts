// Editor settings → provider connection config and router settings. Each value is checked on its own: a bad one
// falls back to its default with a one-line problem, so one typo never disables the router.
import { z } from 'zod';
import { DEFAULT_CLAUDE_MODEL } from './anthropicProvider';
import { DEFAULT_CLAUDE_TOTAL_MS, DEFAULT_FIRST_TOKEN_MS, DEFAULT_IDLE_MS, DEFAULT_OLLAMA_TOTAL_MS } from './deadlines';
import { DEFAULT_OLLAMA_MODEL, defaultOllamaHost } from './ollamaProvider';
import { RouterSettingsSchema, type RouterSettings } from './settings';
import type { ProviderConfig } from './setup';

/** Every setting the router reads, under `llmgenie.`. */
export const ROUTER_SETTING_KEYS = [
  'router.mode',
  'router.overrides',
  'router.secrets',
  'router.cloudThreshold',
  'router.maxToolIterations',
  'router.maxOutputTokens',
  'router.firstTokenTimeoutMs',
  'router.idleTimeoutMs',
  'ollama.host',
  'ollama.model',
  'ollama.timeoutMs',
  'ollama.maxContextTokens',
  'claude.model',
  'claude.baseUrl',
  'claude.timeoutMs',
  'claude.maxRetries',
] as const;
export type RouterSettingKey = (typeof ROUTER_SETTING_KEYS)[number];

export interface EditorRouterConfig {
  /** Without the API key: the adapter adds it from SecretStorage. */
  providers: Omit<ProviderConfig, 'anthropicApiKey' | 'fetch'>;
  router: RouterSettings;
  /** Undefined: the shipped model's cost-sensitive threshold (see data/routing/README.md). */
  cloudThreshold: number | undefined;
  /** One line per setting that was ignored, naming it and the value used instead. */
  problems: string[];
}

const httpUrl = z.string().trim().refine((s) => s === '' || /^https?:\/\/[^\s/]+/i.test(s), 'must be an http(s) URL');
const positiveMs = z.number().int().min(100).max(3_600_000);

const SCHEMAS = {
  'router.mode': RouterSettingsSchema.shape.mode,
  'router.overrides': RouterSettingsSchema.shape.overrides,
  'router.secrets': RouterSettingsSchema.shape.secrets,
  'router.cloudThreshold': z.number().min(0).max(1).optional(),
  'router.maxToolIterations': RouterSettingsSchema.shape.maxToolIterations,
  'router.maxOutputTokens': RouterSettingsSchema.shape.maxOutputTokens,
  'router.firstTokenTimeoutMs': positiveMs.default(DEFAULT_FIRST_TOKEN_MS),
  'router.idleTimeoutMs': positiveMs.default(DEFAULT_IDLE_MS),
  'ollama.host': httpUrl.default(''),
  'ollama.model': z.string().trim().default(''),
  'ollama.timeoutMs': positiveMs.default(DEFAULT_OLLAMA_TOTAL_MS),
  'ollama.maxContextTokens': z.number().int().min(512).max(1_048_576).default(8192),
  'claude.model': z.string().trim().default(''),
  'claude.baseUrl': httpUrl.default(''),
  'claude.timeoutMs': positiveMs.default(DEFAULT_CLAUDE_TOTAL_MS),
  'claude.maxRetries': z.number().int().min(0).max(10).default(2),
} satisfies Record<RouterSettingKey, z.ZodType>;

type Values = { [K in RouterSettingKey]: z.output<(typeof SCHEMAS)[K]> };

/**
 * `get(key)` returns the setting under `llmgenie.` (undefined when unset). `env` supplies OLLAMA_HOST when the host
 * setting is empty. Overrides name commands in lower case, as the router compares them.
 */
export function editorRouterConfig(get: (key: RouterSettingKey) => unknown, env: Readonly<Record<string, string | undefined>>): EditorRouterConfig {
  const problems: string[] = [];
  const values = {} as Record<RouterSettingKey, unknown>;
  for (const key of ROUTER_SETTING_KEYS) {
    const schema = SCHEMAS[key] as z.ZodType;
    const raw = get(key);
    const parsed = schema.safeParse(raw === null ? undefined : raw);
    if (parsed.success) values[key] = parsed.data;
    else {
      const fallback = schema.parse(undefined);
      values[key] = fallback;
      const issue = parsed.error.issues[0];
      problems.push(`llmgenie.${key}: ${issue?.path.length ? `${issue.path.join('.')}: ` : ''}${issue?.message ?? 'invalid'}; using ${fallback === undefined ? 'the default' : JSON.stringify(fallback)}`);
    }
  }
  const v = values as Values;
  const overrides = Object.fromEntries(Object.entries(v['router.overrides']).map(([k, r]) => [k.toLowerCase().trim(), r]));
  return {
    providers: {
      ollamaHost: v['ollama.host'] || defaultOllamaHost(env),
      ollamaModel: v['ollama.model'] || DEFAULT_OLLAMA_MODEL,
      firstTokenTimeoutMs: v['router.firstTokenTimeoutMs'],
      idleTimeoutMs: v['router.idleTimeoutMs'],
      localTimeoutMs: v['ollama.timeoutMs'],
      localMaxContextTokens: v['ollama.maxContextTokens'],
      ...(v['claude.baseUrl'] ? { anthropicBaseURL: v['claude.baseUrl'].replace(/\/+$/, '') } : {}),
      claudeModel: v['claude.model'] || DEFAULT_CLAUDE_MODEL,
      claudeMaxRetries: v['claude.maxRetries'],
      cloudTimeoutMs: v['claude.timeoutMs'],
    },
    router: {
      mode: v['router.mode'],
      overrides,
      secrets: v['router.secrets'],
      maxToolIterations: v['router.maxToolIterations'],
      maxOutputTokens: v['router.maxOutputTokens'],
    },
    cloudThreshold: v['router.cloudThreshold'],
    problems,
  };
}
