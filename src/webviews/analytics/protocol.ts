// zod/mini, imported as a namespace: the webview bundles this file and esbuild can then keep only what is used.
import * as z from 'zod/mini';

/** The dashboard's periods, as `parseSince` durations; 'all' has no start. */
export const PERIODS = ['7d', '30d', '90d', 'all'] as const;
export const periodSchema = z.enum(PERIODS);
export type Period = z.infer<typeof periodSchema>;
export const DEFAULT_PERIOD: Period = '30d';

const count = z.number().check(z.nonnegative());
const money = z.number();
const counts = z.record(z.string(), count);

const modelStatsSchema = z.object({
  provider: z.string(),
  model: z.string(),
  tasks: count,
  failed: count,
  tokensIn: count,
  tokensOut: count,
  costUsd: money,
  latencyP50Ms: z.optional(count),
  latencyP95Ms: z.optional(count),
  ttftP50Ms: z.optional(count),
  ttftP95Ms: z.optional(count),
  ttftSamples: count,
});

const dailySchema = z.object({
  date: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/)),
  local: count,
  cloud: count,
  escalated: count,
  tokensIn: count,
  tokensOut: count,
  costUsd: money,
  cloudCostUsd: money,
  savingsUsd: money,
  findings: count,
  findingsBySeverity: counts,
});

/** `Stats` of src/core/analytics/stats.ts on the wire (a test keeps the two in step). */
export const statsSchema = z.object({
  period: z.object({ since: z.optional(z.string()), until: z.optional(z.string()), now: z.string(), utcOffsetMinutes: z.number() }),
  eventsByType: counts,
  tasks: z.object({ total: count, ok: count, failed: count, byRoute: z.object({ local: count, cloud: count, escalated: count }) }),
  tokens: z.object({ in: count, out: count }),
  cost: z.object({ usd: money, cloudUsd: money, savingsUsd: money, savingsRatio: z.optional(z.number()) }),
  escalation: z.object({
    count,
    localAttempts: count,
    rate: z.optional(z.number().check(z.minimum(0), z.maximum(1))),
    reasons: z.array(z.object({ reason: z.string(), count, examples: z.optional(z.array(z.string())) })),
    extraCostUsd: money,
  }),
  models: z.array(modelStatsSchema),
  policy: z.object({ runs: count, files: count, findings: count, bySeverity: counts, byRule: counts }),
  handoffs: z.object({ validations: count, passed: count, averageScore: z.optional(z.number()) }),
  decisions: count,
  daily: z.array(dailySchema),
});

/** Host → webview. */
export const hostMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('stats'),
    period: periodSchema,
    stats: statsSchema,
    /** Events (other than session starts) before the period: lets an empty period offer "all time". */
    eventsBeforePeriod: count,
    sessions: count,
    /** Sessions folder, workspace-relative, for the empty state. */
    dir: z.string(),
  }),
  z.object({ type: z.literal('error'), message: z.string() }),
]);
export type HostMessage = z.infer<typeof hostMessageSchema>;

/** Webview → host. `ready` carries the period the page restored from its state. */
export const webviewMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), period: z.optional(periodSchema) }),
  z.object({ type: z.literal('setPeriod'), period: periodSchema }),
  z.object({ type: z.literal('export'), format: z.enum(['csv', 'json']) }),
  z.object({ type: z.literal('openSessions') }),
]);
export type WebviewMessage = z.infer<typeof webviewMessageSchema>;

/** What the webview keeps across reloads (`vscode.setState`) and the panel serializer receives back. */
export const panelStateSchema = z.object({ period: periodSchema });
export type PanelState = z.infer<typeof panelStateSchema>;
