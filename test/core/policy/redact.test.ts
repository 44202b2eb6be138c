import assert from 'node:assert/strict';
import { maskSecret, redactSecrets } from '../../../src/core/policy/redact';

// Fake, randomly typed values: shaped like real keys, valid for nothing.
const ANTHROPIC = 'sk-ant-api03-Zq8Xw2Lr5Tn9Kb3Vm7Hc1Jd4Fs6Gp0Qy8Wz2Ex5Rt9Ub3In7Ol1Ak4Sj6Dh0Fg8Ch2Vk5Bn9Mx3Lz7Pq1Wr4Es6Td0Yu8Ig2Oh5Ja9Kb3AA';
const GITHUB = 'ghp_R8kLm2Qx9Zt4Vb7Nc1Wd5Hy3Jf6Gs0Pa8Ek2';

describe('policy/redact', () => {
  it('masks an Anthropic key keeping a short prefix and naming the kind', () => {
    const r = redactSecrets(`ANTHROPIC_API_KEY=${ANTHROPIC}\n`);
    assert.equal(r.text, 'ANTHROPIC_API_KEY=sk-a…[REDACTED:anthropic-api-key]\n');
    assert.equal(r.count, 1);
    assert.deepEqual(r.kinds, ['anthropic-api-key']);
  });

  it('masks several secrets of different kinds and never leaves the raw value', () => {
    const input = `token: ${GITHUB}\nurl: postgres://app:Vq7!kP2zLm9w@db.internal/app\nagain ${GITHUB}`;
    const r = redactSecrets(input);
    assert.equal(r.count, 3);
    assert.deepEqual(r.kinds, ['github-token', 'connection-string-password']);
    assert.ok(!r.text.includes(GITHUB));
    assert.ok(!r.text.includes('Vq7!kP2zLm9w'));
    assert.ok(r.text.includes('postgres://app:'));
  });

  it('leaves text without secrets untouched, including placeholders and env references', () => {
    const input = 'ANTHROPIC_API_KEY=sk-ant-...\nconst k = process.env.OPENAI_API_KEY;\napi_key = "YOUR_API_KEY"';
    assert.deepEqual(redactSecrets(input), { text: input, count: 0, kinds: [] });
  });

  it('maskSecret shows at most four characters and none of a short value', () => {
    assert.equal(maskSecret(ANTHROPIC), 'sk-a…');
    assert.equal(maskSecret('Vq7!kP2zLm9w'), 'Vq…');
    assert.equal(maskSecret('hunter22'), '…');
  });
});
