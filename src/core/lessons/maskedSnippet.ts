import { redactSecrets } from '../policy/redact';
import type { Lesson } from './lesson';
import type { LessonHit } from './searchIndex';
import { makeSnippet } from './snippet';
import { normalizeTerm, plainText } from './text';

/**
 * A search hit's snippet safe to show or send anywhere. A snippet cut from the middle of a key is no longer
 * recognisable as one, so masking the snippet afterwards is not enough: for a lesson that quotes a secret, the
 * snippet is cut again from the masked body, around the same matched words. Without the lesson (deleted since the
 * search), the snippet itself is masked as a best effort.
 */
export function maskedSnippet(hit: Pick<LessonHit, 'snippet' | 'highlights'>, lesson: Pick<Lesson, 'body'> | undefined): string {
  if (!lesson) return redactSecrets(hit.snippet).text;
  const masked = redactSecrets(plainText(lesson.body));
  if (!masked.count) return hit.snippet;
  const terms = new Set<string>();
  for (const [a, b] of hit.highlights) {
    const t = normalizeTerm(hit.snippet.slice(a, b));
    if (t) terms.add(t);
  }
  return makeSnippet(masked.text, terms).text;
}
