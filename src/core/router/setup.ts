import { AnthropicProvider, DEFAULT_CLAUDE_MODEL } from './anthropicProvider';
import { DEFAULT_OLLAMA_MODEL, OllamaProvider, defaultOllamaHost } from './ollamaProvider';
import { priceOf } from './pricing';
import { RouterSettingsSchema, type RouterSettings } from './settings';

/** Connection settings for both providers; the editor fills them from settings + SecretStorage, the CLI from env. */
export interface ProviderConfig {
  ollamaHost?: string;
  ollamaModel?: string;
  /** Both providers: request → first token (Ollama: model load included), and the silence allowed between tokens. */
  firstTokenTimeoutMs?: number;
  idleTimeoutMs?: number;
  /** The whole Ollama call. */
  localTimeoutMs?: number;
  /** Upper bound for the local context window (`num_ctx`). */
  localMaxContextTokens?: number;
  anthropicApiKey?: string;
  anthropicBaseURL?: string;
  claudeModel?: string;
  claudeMaxRetries?: number;
  /** The whole Claude call, retries included. */
  cloudTimeoutMs?: number;
  fetch?: typeof fetch;
}

export interface Providers {
  local: OllamaProvider;
  cloud: AnthropicProvider;
}

export function createProviders(cfg: ProviderConfig): Providers {
  const claudeModel = cfg.claudeModel || DEFAULT_CLAUDE_MODEL;
  const shared = {
    ...(cfg.firstTokenTimeoutMs ? { firstTokenTimeoutMs: cfg.firstTokenTimeoutMs } : {}),
    ...(cfg.idleTimeoutMs ? { idleTimeoutMs: cfg.idleTimeoutMs } : {}),
  };
  return {
    local: new OllamaProvider({
      host: cfg.ollamaHost,
      model: cfg.ollamaModel || DEFAULT_OLLAMA_MODEL,
      ...shared,
      ...(cfg.localTimeoutMs ? { totalTimeoutMs: cfg.localTimeoutMs } : {}),
      ...(cfg.localMaxContextTokens ? { maxContextTokens: cfg.localMaxContextTokens } : {}),
      ...(cfg.fetch ? { fetch: cfg.fetch } : {}),
    }),
    cloud: new AnthropicProvider({
      apiKey: cfg.anthropicApiKey,
      baseURL: cfg.anthropicBaseURL,
      model: claudeModel,
      maxRetries: cfg.claudeMaxRetries ?? 2,
      ...shared,
      ...(cfg.cloudTimeoutMs ? { totalTimeoutMs: cfg.cloudTimeoutMs } : {}),
      contextWindow: priceOf(claudeModel)?.contextWindow ?? 200_000,
      ...(cfg.fetch ? { fetch: cfg.fetch } : {}),
    }),
  };
}

type Env = Readonly<Record<string, string | undefined>>;

function positiveInt(env: Env, name: string): number | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive whole number of milliseconds, got "${raw}"`);
  return n;
}

/**
 * CLI / MCP configuration from the environment: ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL, OLLAMA_HOST,
 * LLMGENIE_OLLAMA_MODEL, LLMGENIE_CLAUDE_MODEL, LLMGENIE_FIRST_TOKEN_TIMEOUT_MS, LLMGENIE_IDLE_TIMEOUT_MS,
 * LLMGENIE_LOCAL_TIMEOUT_MS and LLMGENIE_CLOUD_TIMEOUT_MS (whole calls).
 * Throws a one-line Error on a malformed value.
 */
export function providerConfigFromEnv(env: Env): ProviderConfig {
  return {
    ollamaHost: defaultOllamaHost(env),
    ollamaModel: env.LLMGENIE_OLLAMA_MODEL?.trim() || DEFAULT_OLLAMA_MODEL,
    firstTokenTimeoutMs: positiveInt(env, 'LLMGENIE_FIRST_TOKEN_TIMEOUT_MS'),
    idleTimeoutMs: positiveInt(env, 'LLMGENIE_IDLE_TIMEOUT_MS'),
    localTimeoutMs: positiveInt(env, 'LLMGENIE_LOCAL_TIMEOUT_MS'),
    anthropicApiKey: env.ANTHROPIC_API_KEY?.trim() || undefined,
    anthropicBaseURL: env.ANTHROPIC_BASE_URL?.trim() || undefined,
    claudeModel: env.LLMGENIE_CLAUDE_MODEL?.trim() || DEFAULT_CLAUDE_MODEL,
    cloudTimeoutMs: positiveInt(env, 'LLMGENIE_CLOUD_TIMEOUT_MS'),
  };
}

/** LLMGENIE_SECRETS=mask|block; other router settings keep their defaults on the CLI. */
export function routerSettingsFromEnv(env: Env): Partial<RouterSettings> {
  const secrets = env.LLMGENIE_SECRETS?.trim();
  if (!secrets) return {};
  const parsed = RouterSettingsSchema.shape.secrets.safeParse(secrets);
  if (!parsed.success) throw new Error(`LLMGENIE_SECRETS must be "mask" or "block", got "${secrets}"`);
  return { secrets: parsed.data };
}
