/**
 * Text analysis shared by indexing, querying and highlighting, so all three agree on what a "term" is.
 *
 * Tokens are runs of Unicode letters and digits (`\p{L}\p{N}`): everything else, including `_`, `-` and `.`,
 * separates words, so `snake_case`, `best-practice` and `file.ts` split into their parts.
 *
 * Each token is lower-cased, `ё` folded to `е`, stop words dropped, and then stemmed with the Snowball stemmers
 * (`@orama/stemmers`: Porter for English, Snowball for Russian), so a word and its inflections meet
 * (`cache`/`caching`/`caches` → `cach`, `утечка`/`утечки`/`утечкой` → `утечк`). Prefix and fuzzy matching at
 * query time cover what a stemmer misses (irregular plurals). `bench/lessons-relevance.bench.ts` measures
 * relevance against the hand-rolled stemmer this replaced.
 */

import { stemmer as snowballEnglish } from '@orama/stemmers/english';
import { stemmer as snowballRussian } from '@orama/stemmers/russian';

export const TOKEN = /[\p{L}\p{N}]+/gu;
const CYRILLIC = /[\u0400-\u04ff]/;
const LATIN = /^[a-z]+$/;

export function tokenize(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

// Function words carry no meaning for search but make up a third of running text: dropping them shrinks the
// index and keeps common-word queries from matching every lesson.
const STOP = new Set(
  (
    'a about after all also am an and any are as at be because been before being between both but by can could ' +
    'did do does doing each few for from had has have having he her here him his how i if in into is it its just ' +
    'me more most my no nor not of off on once only or other our out over own same she should so some such than ' +
    'that the their them then there these they this those through to too under until up very was we were what ' +
    'when where which while who whom why will with would you your ' +
    'а без более бы был была были было быть в вам вас весь во вот все всего всех вы где да даже для до его ее ей ' +
    'если есть еще же за здесь и из или им их к как какой когда кто ли либо между меня мне может мы на над надо ' +
    'нас не него нее нет ни них но ну о об однако он она они оно от очень по под после при про с со так также ' +
    'там тем то тоже только том тот тут у уже хотя чем что чтобы эта эти это этого этой этом этот'
  ).split(' '),
);

/**
 * Snowball's Russian stemmer reads a final -ть as an infinitive and cuts it (память → памя, but памяти → памят).
 * Technical notes hold far more nouns in -ть (память, сеть, очередь, новость) than infinitives, which people
 * rarely search for, so where Snowball cut exactly that -ть the word keeps its т (память → памят).
 */
function stemRussian(w: string): string {
  const stem = snowballRussian(w);
  return w.endsWith('ть') && stem === w.slice(0, -2) ? w.slice(0, -1) : stem;
}

export type TermNormalizer = (token: string) => string | null;

/** Lower-case, fold ё, drop stop words, stem by script. The bench builds one with other stemmers to compare. */
export function makeTermNormalizer(stem: { english: (w: string) => string; russian: (w: string) => string }): TermNormalizer {
  // Vocabularies are small next to token counts, so memoising makes indexing ~10x cheaper.
  const memo = new Map<string, string | null>();
  return (token) => {
    const hit = memo.get(token);
    if (hit !== undefined) return hit;
    const w = token.toLowerCase().replace(/ё/g, 'е');
    let out: string | null;
    if (STOP.has(w)) out = null;
    else if (CYRILLIC.test(w)) out = stem.russian(w);
    else if (LATIN.test(w)) out = stem.english(w);
    else out = w;
    if (memo.size > 200_000) memo.clear();
    memo.set(token, out);
    return out;
  };
}

/** Token → index term (or null for a stop word). Used as MiniSearch's `processTerm` and for highlighting. */
export const normalizeTerm: TermNormalizer = makeTermNormalizer({ english: snowballEnglish, russian: stemRussian });

/**
 * Markdown → one line of readable text for snippets: markup characters and link targets go, words stay.
 * Tokens of the result are the body's tokens minus link URLs, so highlighting matches what was indexed.
 */
export function plainText(markdown: string): string {
  return markdown
    .replace(/^\s{0,3}(```|~~~).*$/gm, ' ')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/^\s{0,3}(#{1,6}|>|[-*+]|\d+[.)])\s+/gm, '')
    .replace(/(\*\*|__|`)/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}
