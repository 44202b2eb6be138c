import { z } from 'zod';
import pricingJson from '../../../data/pricing.json';
import type { Usage } from './provider';

const Rate = z.object({ inputPerMTok: z.number().min(0), outputPerMTok: z.number().min(0) });
export const PricingSchema = z.object({
  defaultCloudModel: z.string().min(1),
  models: z.record(
    z.string(),
    Rate.extend({
      contextWindow: z.number().int().positive(),
      longPrompt: Rate.extend({ thresholdTokens: z.number().int().positive() }).optional(),
    }),
  ),
});
export type Pricing = z.infer<typeof PricingSchema>;
export type ModelPrice = Pricing['models'][string];

/** The shipped price table (data/pricing.json), validated once at load. */
export const pricing: Pricing = PricingSchema.parse(pricingJson);

/**
 * Price entry for a model id: exact, else the longest table key that prefixes it (dated snapshots such as
 * `claude-haiku-4-5-20251001`), else undefined so callers can say the model is unpriced rather than guess.
 */
export function priceOf(model: string, table: Pricing = pricing): ModelPrice | undefined {
  if (table.models[model]) return table.models[model];
  let best: string | undefined;
  for (const k of Object.keys(table.models)) if (model.startsWith(`${k}-`) && (!best || k.length > best.length)) best = k;
  return best ? table.models[best] : undefined;
}

/** USD for one call's tokens; unknown models are priced as the default cloud model (stated in the notice). */
export function costUsd(model: string, usage: Usage, table: Pricing = pricing): number {
  const p = priceOf(model, table) ?? priceOf(table.defaultCloudModel, table);
  if (!p) return 0;
  const rate = p.longPrompt && usage.inputTokens > p.longPrompt.thresholdTokens ? p.longPrompt : p;
  return round((usage.inputTokens * rate.inputPerMTok + usage.outputTokens * rate.outputPerMTok) / 1e6);
}

/** Micro-dollar precision keeps sums of many small tasks stable in logs. */
function round(usd: number): number {
  return Math.round(usd * 1e6) / 1e6;
}
