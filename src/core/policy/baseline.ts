import { z } from 'zod';
import type { Finding } from './types';

/**
 * `.llmgenie/policy-baseline.json`: findings the team accepted. Holds fingerprints (hashes) and where they were
 * seen, never the secret itself, so the file is safe to commit.
 */
export const BASELINE_PATH = '.llmgenie/policy-baseline.json';

export const baselineSchema = z
  .object({
    version: z.literal(1),
    findings: z.array(
      z
        .object({
          fingerprint: z.string().regex(/^[0-9a-f]{16,64}$/, 'fingerprint must be hex'),
          ruleId: z.string(),
          file: z.string(),
          kind: z.string().optional(),
          note: z.string().optional(),
        })
        .strict(),
    ),
  })
  .strict();
export type Baseline = z.infer<typeof baselineSchema>;

export class BaselineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BaselineError';
  }
}

export function parseBaseline(text: string): Baseline {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new BaselineError(`baseline is not valid JSON: ${(e as Error).message}`);
  }
  const r = baselineSchema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new BaselineError(`baseline: ${i.message}${i.path.length ? ` at ${i.path.join('.')}` : ''}`);
  }
  return r.data;
}

export function baselineFingerprints(b: Baseline): Set<string> {
  return new Set(b.findings.map((f) => f.fingerprint));
}

/** A baseline accepting `findings`, keeping notes already written for fingerprints that remain. */
export function createBaseline(findings: readonly Finding[], previous?: Baseline): Baseline {
  const notes = new Map(previous?.findings.filter((f) => f.note).map((f) => [f.fingerprint, f.note!]));
  const seen = new Set<string>();
  const out: Baseline['findings'] = [];
  for (const f of findings) {
    if (seen.has(f.fingerprint)) continue;
    seen.add(f.fingerprint);
    const note = notes.get(f.fingerprint);
    out.push({ fingerprint: f.fingerprint, ruleId: f.ruleId, file: f.file, ...(f.kind ? { kind: f.kind } : {}), ...(note ? { note } : {}) });
  }
  out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.fingerprint < b.fingerprint ? -1 : 1));
  return { version: 1, findings: out };
}

export function serializeBaseline(b: Baseline): string {
  return `${JSON.stringify(b, null, 2)}\n`;
}
