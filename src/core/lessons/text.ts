/**
 * Text analysis shared by indexing, querying and highlighting, so all three agree on what a "term" is.
 *
 * Tokens are runs of Unicode letters and digits (`\p{L}\p{N}`): everything else, including `_`, `-` and `.`,
 * separates words, so `snake_case`, `best-practice` and `file.ts` split into their parts.
 *
 * Each token is lower-cased, `ё` folded to `е`, stop words dropped, and then lightly stemmed:
 * - English (Latin letters): plural `-s`/`-es`/`-ies`→`-y`, `-ing`/`-ed` (when a vowel stays, undoubling
 *   `running`→`run`), then a final `-e` (`cache`/`caching`/`caches` → `cach`). Not Porter: it only needs to make
 *   a word and its common inflections meet.
 * - Russian (Cyrillic): the reflexive `-ся`/`-сь`, then the longest noun/adjective ending, keeping a stem of
 *   at least three letters (`утечка`/`утечки`/`утечкой` → `утечк`, `память`/`памяти`/`памятью` → `памят`).
 *   Verb endings are left alone: `-ать`/`-ять` would also cut `память`, `-ат`/`-ит` would cut `формат`.
 * Prefix and fuzzy matching at query time cover what this misses (`утечек`, irregular plurals).
 */

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

const RU_ENDINGS = (
  'иями ями ами ого его ому ему ыми ими иях иям ией ' +
  'ах ях ов ев ей ам ям ом ем ой ий ый ая яя ое ее ые ие ых их ым им ую юю ия ью ья ье ' +
  'а я о е ы и у ю ь й'
)
  .split(' ')
  .sort((a, b) => b.length - a.length);

function stemRussian(w: string): string {
  if (w.length > 5 && (w.endsWith('ся') || w.endsWith('сь'))) w = w.slice(0, -2);
  for (const e of RU_ENDINGS) if (w.length - e.length >= 3 && w.endsWith(e)) return w.slice(0, -e.length);
  return w;
}

const VOWEL = /[aeiouy]/;
function stemEnglish(w: string): string {
  if (w.length <= 3) return w;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  if (w.endsWith('ing') && VOWEL.test(w.slice(0, -3)) && w.length - 3 >= 3) w = undouble(w.slice(0, -3));
  else if (w.endsWith('ed') && !w.endsWith('eed') && VOWEL.test(w.slice(0, -2)) && w.length - 2 >= 3) w = undouble(w.slice(0, -2));
  if (w.endsWith('e') && w.length > 3) w = w.slice(0, -1);
  return w;
}

function undouble(w: string): string {
  const n = w.length;
  return n > 3 && w[n - 1] === w[n - 2] && !/[aeioulsz]/.test(w[n - 1]) ? w.slice(0, -1) : w;
}

// Vocabularies are small next to token counts, so memoising makes indexing ~10x cheaper.
const memo = new Map<string, string | null>();

/** Token → index term (or null for a stop word). Used as MiniSearch's `processTerm` and for highlighting. */
export function normalizeTerm(token: string): string | null {
  const hit = memo.get(token);
  if (hit !== undefined) return hit;
  const w = token.toLowerCase().replace(/ё/g, 'е');
  let out: string | null;
  if (STOP.has(w)) out = null;
  else if (CYRILLIC.test(w)) out = stemRussian(w);
  else if (LATIN.test(w)) out = stemEnglish(w);
  else out = w;
  if (memo.size > 200_000) memo.clear();
  memo.set(token, out);
  return out;
}

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
