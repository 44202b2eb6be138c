import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkCommitMessage, commitMessageFromAnswer, SUBJECT_MAX } from '../../../src/core/router/commitMessage';

const text = (answer: string): string => {
  const r = commitMessageFromAnswer(answer);
  assert.ok(r.ok, r.ok ? '' : r.reason);
  return r.message.text;
};

describe('router/commitMessage', () => {
  it('takes the message out of a fence and drops the label before it', () => {
    assert.equal(text('```\nFix rounding in invoiceTotal\n\nRound to cents.  \n```'), 'Fix rounding in invoiceTotal\n\nRound to cents.');
    assert.equal(text('**Commit message:**\n\n```text\nfeat: add x\n```'), 'feat: add x');
    assert.equal(text("Here's a commit message for the staged changes:\n\n```git\nfix(billing): round totals to cents\n\n- use Math.round\n```\n\nThis follows Conventional Commits."), 'fix(billing): round totals to cents\n\n- use Math.round');
    assert.equal(text('Commit message:\nAdd y\n\n\n\nBody'), 'Add y\n\nBody');
  });

  it('keeps the message, not an example, when the reply also shows code', () => {
    const answer = 'refactor: split the parser\n\nThe old one was:\n\n```ts\nconst x = 1;\n```\n\nNow two modules.';
    assert.equal(text(answer), 'refactor: split the parser\n\nThe old one was:\n\nconst x = 1;\n\nNow two modules.');
  });

  it('strips markdown a commit box would show literally', () => {
    const answer = '## **Feat(API) : Add `retry` to the client.**\n\n* Retries **twice** on 503\n* See [the docs](https://x.test)\n> quoted\n---\nSubject: nothing';
    assert.equal(text(answer), 'feat(API): Add retry to the client\n\n- Retries twice on 503\n- See the docs\nquoted\n\nSubject: nothing');
  });

  it('reads "Subject:" / "Body:" labels as the parts', () => {
    assert.equal(text('Subject: docs: explain the cache\nBody: The cache keeps embeddings per model.'), 'docs: explain the cache\n\nThe cache keeps embeddings per model.');
  });

  it('fits a long subject: the first sentence if it fits, else at a word, the rest opens the body', () => {
    const long = 'Make the router keep the draft when it escalates. It used to drop the local answer which confused everyone who read it';
    assert.equal(text(long), 'Make the router keep the draft when it escalates\n\nIt used to drop the local answer which confused everyone who read it');
    const words = 'fix: ' + 'word '.repeat(30).trim();
    const r = commitMessageFromAnswer(words);
    assert.ok(r.ok);
    assert.ok(r.message.subject.length <= SUBJECT_MAX, r.message.subject);
    assert.equal(`${r.message.subject} ${r.message.body}`, words);
  });

  it('says why when there is no message to write', () => {
    assert.deepEqual(commitMessageFromAnswer(''), { ok: false, reason: 'the model returned no commit message' });
    assert.deepEqual(commitMessageFromAnswer('```\n\n```'), { ok: false, reason: 'the model returned no commit message' });
    const label = commitMessageFromAnswer('**Commit message**');
    assert.equal(label.ok, false);
  });

  it('checks what the editor writes: subject, blank line, no markdown left', () => {
    assert.equal(checkCommitMessage('feat: x\n\nbody'), undefined);
    assert.match(checkCommitMessage('')!, /no subject/);
    assert.match(checkCommitMessage('x'.repeat(80))!, /80 characters/);
    assert.match(checkCommitMessage('feat: x\nbody')!, /blank line/);
    assert.match(checkCommitMessage('feat: x\n\n```\ny\n```')!, /fence/);
    assert.match(checkCommitMessage('feat: x\n\n## Details')!, /markdown/);
  });

  describe('fuzz', () => {
    const piece = fc.constantFrom('```', '```text', '~~~', '**', '*', '`', '#', '## ', '- ', '* ', '> ', '---', 'Commit message:', 'Subject: ', 'Body: ', 'feat(x): ', 'Fix ', '\n', '\n\n', ' ', '\t', 'word', '.', ':', '[a](b)', 'é', '🙂');
    const answers = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 200 }), fc.array(piece, { maxLength: 40 }).map((a) => a.join('')));

    it('never throws; a message it gives passes the check, and cleaning it again changes nothing', () => {
      fc.assert(
        fc.property(answers, (answer) => {
          const r = commitMessageFromAnswer(answer);
          if (!r.ok) {
            assert.equal(typeof r.reason, 'string');
            assert.ok(!r.reason.includes('\n'));
            return;
          }
          assert.equal(checkCommitMessage(r.message.text), undefined, JSON.stringify(r.message.text));
          assert.ok(r.message.subject.length <= SUBJECT_MAX);
          const again = commitMessageFromAnswer(r.message.text);
          assert.ok(again.ok);
          assert.equal(again.message.text, r.message.text);
        }),
        { numRuns: 2000 },
      );
    });

    it('a clean message comes back the same through a fence and a label', () => {
      const word = fc.stringMatching(/^[a-z]{1,8}$/);
      const subject = fc.array(word, { minLength: 1, maxLength: 8 }).map((w) => w.join(' '));
      const body = fc.array(fc.array(word, { minLength: 1, maxLength: 10 }).map((w) => w.join(' ')), { maxLength: 3 }).map((ls) => ls.join('\n'));
      fc.assert(
        fc.property(subject, body, (s, b) => {
          const message = b ? `${s}\n\n${b}` : s;
          assert.equal(text(`Commit message:\n\n\`\`\`\n${message}\n\`\`\``), message);
        }),
        { numRuns: 500 },
      );
    });
  });
});
