/**
 * "1 finding", "2 findings", "0 files": a count with its noun in the right number, so no message says
 * "1 findings" or hedges with "finding(s)". `many` for nouns that do not just take an "s" ("1 entry", "2 entries").
 */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
