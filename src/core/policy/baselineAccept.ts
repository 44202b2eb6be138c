import { createBaseline, type Baseline } from './baseline';
import type { Finding } from './types';

/**
 * The baseline with `findings` accepted as well: entries already there (and their notes) are kept, so accepting
 * one finding from the editor never drops what the team accepted before. createBaseline alone starts afresh.
 */
export function addToBaseline(previous: Baseline | undefined, findings: readonly Finding[]): { baseline: Baseline; added: number } {
  const kept = previous?.findings ?? [];
  const known = new Set(kept.map((f) => f.fingerprint));
  const fresh = createBaseline(findings.filter((f) => !known.has(f.fingerprint))).findings;
  const all = [...kept, ...fresh].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.fingerprint < b.fingerprint ? -1 : 1));
  return { baseline: { version: 1, findings: all }, added: fresh.length };
}
