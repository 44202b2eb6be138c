import assert from 'node:assert/strict';
import { fakeSecret, makeRng } from '../../../bench/fixtures/policy/fakeSecrets';
import { maskedSnippet } from '../../../src/core/lessons/maskedSnippet';
import { parseLessonFile } from '../../../src/core/lessons/parse';
import { LessonIndex } from '../../../src/core/lessons/searchIndex';
import { redactSecrets } from '../../../src/core/policy/redact';

const KEY = fakeSecret('github-token', makeRng(7));

/** No run of 8 characters of the key survives: a shorter piece identifies nothing. */
function leaksKey(text: string): boolean {
  for (let i = 0; i + 8 <= KEY.length; i++) if (text.includes(KEY.slice(i, i + 8))) return true;
  return false;
}

describe('lessons: maskedSnippet', () => {
  // The window around "rotation" starts inside the key, so the plain snippet holds a tail too short to be
  // recognised as a key and too long to be harmless.
  const body = `${'lorem '.repeat(30)}token ${KEY} ${'word '.repeat(4)}rotation ${'ipsum '.repeat(40)}`;
  const lesson = { ...parseLessonFile('/ws/docs/lessons/k.md', body), id: 'k', title: 'Key rotation', tags: [] };
  const index = new LessonIndex();
  index.reset([lesson]);
  const [hit] = index.search('rotation');

  it('cuts the snippet from the masked body, so no half key survives', () => {
    assert.ok(leaksKey(hit.snippet), 'the fixture must cut through the key');
    assert.equal(redactSecrets(hit.snippet).count, 0, 'a cut key is not recognised afterwards');
    const s = maskedSnippet(hit, lesson);
    assert.ok(!leaksKey(s), s);
    assert.match(s, /rotation/);
    assert.match(s, /\[REDACTED:github-token\]/);
  });

  it('returns the snippet unchanged for a clean lesson, and masks the snippet alone when the lesson is gone', () => {
    const clean = { ...lesson, body: 'rotate keys every quarter' };
    assert.equal(maskedSnippet({ snippet: 'rotate keys', highlights: [[0, 6]] }, clean), 'rotate keys');
    assert.equal(maskedSnippet({ snippet: `old key ${KEY}`, highlights: [] }, undefined), `old key ${KEY.slice(0, 4)}…[REDACTED:github-token]`);
  });
});
