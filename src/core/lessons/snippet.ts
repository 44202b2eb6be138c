import { normalizeTerm, TOKEN } from './text';

/** `[start, end)` character offsets into the string they came with. */
export type Range = [number, number];

export interface Snippet {
  readonly text: string;
  readonly ranges: Range[];
}

interface Match {
  readonly start: number;
  readonly end: number;
  readonly term: string;
}

/** Where words of `text` whose index term is one of `terms` occur. */
export function findMatches(text: string, terms: ReadonlySet<string>): Range[] {
  return matches(text, terms).map((m) => [m.start, m.end]);
}

function matches(text: string, terms: ReadonlySet<string>): Match[] {
  const out: Match[] = [];
  if (!terms.size) return out;
  for (const m of text.matchAll(TOKEN)) {
    const term = normalizeTerm(m[0]);
    if (term !== null && terms.has(term)) out.push({ start: m.index, end: m.index + m[0].length, term });
  }
  return out;
}

/**
 * A window of about `width` characters around the densest cluster of matches (most distinct terms, then most
 * hits), cut at word boundaries, with `…` where text was cut and ranges relative to the returned text.
 */
export function makeSnippet(text: string, terms: ReadonlySet<string>, width = 160): Snippet {
  if (text.length <= width) return { text, ranges: findMatches(text, terms) };
  const found = matches(text, terms);
  let [from, to] = [0, 0];
  if (found.length) {
    let best = -1;
    for (let i = 0, j = 0; i < found.length; i++) {
      j = Math.max(j, i);
      while (j + 1 < found.length && found[j + 1].end - found[i].start <= width) j++;
      const distinct = new Set(found.slice(i, j + 1).map((m) => m.term)).size;
      const score = distinct * 1000 + (j - i + 1);
      if (score > best) [best, from, to] = [score, found[i].start, found[j].end];
    }
  }
  const slack = Math.max(0, width - (to - from));
  // A third of the spare room before the cluster: enough lead-in to read the match in context.
  const end = Math.min(text.length, Math.max(0, from - Math.floor(slack / 3)) + width);
  const start = Math.max(0, end - width);
  const cutStart = start > 0 ? snapForward(text, start, from) : 0;
  const cutEnd = end < text.length ? snapBack(text, end, to) : text.length;
  const lead = cutStart > 0 ? '…' : '';
  const shift = lead.length - cutStart;
  const ranges: Range[] = found
    .filter((m) => m.start >= cutStart && m.end <= cutEnd)
    .map((m) => [m.start + shift, m.end + shift]);
  return { text: `${lead}${text.slice(cutStart, cutEnd)}${cutEnd < text.length ? '…' : ''}`, ranges };
}

/** Moves a cut forward to the next space so no word is halved, but never past `limit` (the first match). */
function snapForward(text: string, at: number, limit: number): number {
  const space = text.indexOf(' ', at);
  return space >= 0 && space < limit && space - at < 24 ? space + 1 : at;
}

function snapBack(text: string, at: number, limit: number): number {
  const space = text.lastIndexOf(' ', at);
  return space > limit && at - space < 24 ? space : at;
}
