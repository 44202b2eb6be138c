import { z } from 'zod';

/** Router behaviour, as the editor settings / CLI environment supply it. Provider connection settings live with the providers. */
export const RouterSettingsSchema = z.object({
  /** Status-bar mode: Auto lets the classifier choose and allows escalation/fallback; Local/Cloud force one side only. */
  mode: z.enum(['auto', 'local', 'cloud']).default('auto'),
  /** Per-command routes applied in Auto mode; none by default: the classifier reads the code (a rename's review stays local). */
  overrides: z.record(z.string(), z.enum(['local', 'cloud', 'auto'])).default({}),
  /** Secrets found in what would go to Claude: masked, or the call is not made. */
  secrets: z.enum(['mask', 'block']).default('mask'),
  /** Model calls per provider per task, tool rounds included. */
  maxToolIterations: z.number().int().min(1).max(16).default(4),
  /** Output budget per call (also reserved out of the context window). */
  maxOutputTokens: z.number().int().min(16).max(128_000).default(4096),
});
export type RouterSettings = z.infer<typeof RouterSettingsSchema>;

export const DEFAULT_ROUTER_SETTINGS: RouterSettings = RouterSettingsSchema.parse({});
