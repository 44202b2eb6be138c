import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fakeSecret, FAKE_KINDS, makeRng } from '../../../bench/fixtures/policy/fakeSecrets';
import { maskSecret, redactDeep, redactSecrets, TOO_DEEP } from '../../../src/core/policy/redact';

// Shaped like real keys, valid for nothing, and generated so no key-shaped literal sits in the repository.
const rng = makeRng(1);
const ANTHROPIC = fakeSecret('anthropic-api-key', rng);
const GITHUB = fakeSecret('github-token', rng);
const PASSWORD = fakeSecret('password', rng);

describe('policy/redact', () => {
  it('masks an Anthropic key keeping a short prefix and naming the kind', () => {
    const r = redactSecrets(`ANTHROPIC_API_KEY=${ANTHROPIC}\n`);
    assert.equal(r.text, 'ANTHROPIC_API_KEY=sk-a…[REDACTED:anthropic-api-key]\n');
    assert.equal(r.count, 1);
    assert.deepEqual(r.kinds, ['anthropic-api-key']);
  });

  it('masks several secrets of different kinds and never leaves the raw value', () => {
    const input = `token: ${GITHUB}\nurl: postgres://app:${PASSWORD}@db.internal/app\nagain ${GITHUB}`;
    const r = redactSecrets(input);
    assert.equal(r.count, 3);
    assert.deepEqual(r.kinds, ['github-token', 'connection-string-password']);
    assert.ok(!r.text.includes(GITHUB));
    assert.ok(!r.text.includes(PASSWORD));
    assert.ok(r.text.includes('postgres://app:'));
  });

  it('leaves text without secrets untouched, including placeholders and env references', () => {
    const input = 'ANTHROPIC_API_KEY=sk-ant-...\nconst k = process.env.OPENAI_API_KEY;\napi_key = "YOUR_API_KEY"';
    assert.deepEqual(redactSecrets(input), { text: input, count: 0, kinds: [] });
  });

  it('masks bearer and basic credentials in raw Authorization headers and basic-auth pairs', () => {
    // Assembled here so no token-shaped literal sits in the repository.
    const token = ['8f3KzQ9v', 'Lm2xR7pT4w', 'N6yB1cD5eF0gH3'].join('');
    const pass = ['S3cure', '!Pass9'].join('');
    const cases: [string, string, string][] = [
      [`curl -H "Authorization: Bearer ${token}"`, 'curl -H "Authorization: Bearer 8f3K…[REDACTED:authorization-header]"', token],
      [`Authorization: Bearer ${token}`, 'Authorization: Bearer 8f3K…[REDACTED:authorization-header]', token],
      [`authorization: token ${token}\n`, 'authorization: token 8f3K…[REDACTED:authorization-header]\n', token],
      [`auth=("admin","${pass}")`, 'auth=("admin","S3…[REDACTED:basic-auth-tuple]")', pass],
      [`requests.get(url, auth = ('admin', '${pass}'))`, "requests.get(url, auth = ('admin', 'S3…[REDACTED:basic-auth-tuple]'))", pass],
    ];
    for (const [input, masked, secret] of cases) {
      const r = redactSecrets(input);
      assert.equal(r.text, masked);
      assert.equal(r.count, 1);
      assert.ok(!r.text.includes(secret));
    }
    // A JWT after "Bearer" is still reported as a JWT, the more specific kind.
    const jwt = fakeSecret('jwt', rng);
    assert.deepEqual(redactSecrets(`Authorization: Bearer ${jwt}`).kinds, ['jwt']);
  });

  it('leaves Authorization placeholders and default basic-auth pairs alone', () => {
    for (const decoy of [
      'Authorization: Bearer <token>',
      'curl -H "Authorization: Bearer ${TOKEN}"',
      'Authorization: Bearer $ACCESS_TOKEN',
      'Authorization: Bearer xxxx',
      'Authorization: Bearer xxxxxxxxxxxxxxxxxxxxxxxx',
      'Authorization: Bearer YOUR_TOKEN',
      'authorization: Bearer YOUR_ACCESS_TOKEN_HERE',
      'headers.authorization = "Bearer " + session.accessToken;',
      'auth=("user", "password")',
      'auth=(user, pwd)',
      'const add = (a, b) => a + b; x = ("a", "b")',
    ])
      assert.deepEqual(redactSecrets(decoy), { text: decoy, count: 0, kinds: [] }, decoy);
  });

  it('maskSecret shows at most four characters and none of a short value', () => {
    assert.equal(maskSecret(ANTHROPIC), 'sk-a…');
    assert.equal(maskSecret('Vq7!kP2zLm9w'), 'Vq…');
    assert.equal(maskSecret('hunter22'), '…');
  });

  it('redactDeep masks every string of a nested value, keeps keys and non-strings, and does not mutate', () => {
    const input = { [`k_${GITHUB}`]: [ANTHROPIC, { note: `pw postgres://app:${PASSWORD}@db.internal/x`, n: 3, ok: true, z: null }], clean: 'plain', e: '' };
    const snapshot = structuredClone(input);
    const r = redactDeep(input);
    assert.deepEqual(input, snapshot);
    assert.equal(r.count, 2);
    assert.deepEqual(r.kinds, ['anthropic-api-key', 'connection-string-password']);
    assert.deepEqual(Object.keys(r.value), [`k_${GITHUB}`, 'clean', 'e']);
    const [key, nested] = r.value[`k_${GITHUB}`] as [string, Record<string, unknown>];
    assert.equal(key, 'sk-a…[REDACTED:anthropic-api-key]');
    assert.deepEqual({ ...nested, note: undefined }, { note: undefined, n: 3, ok: true, z: null });
    assert.ok(!String(nested.note).includes(PASSWORD));
    assert.equal(r.value.clean, 'plain');
  });

  it('redactDeep uses the redactor it is given and fails closed on cycles', () => {
    const seen: string[] = [];
    const upper = (t: string) => (seen.push(t), { text: t.toUpperCase(), count: 1, kinds: ['x'] });
    assert.deepEqual(redactDeep({ a: ['b', ''], c: 'd' }, upper), { value: { a: ['B', ''], c: 'D' }, count: 2, kinds: ['x'] });
    assert.deepEqual(seen, ['b', 'd']);
    const loop: Record<string, unknown> = { s: ANTHROPIC };
    loop.self = loop;
    let v: unknown = redactDeep(loop).value;
    for (let i = 0; i < 64; i++) v = (v as Record<string, unknown>).self;
    assert.equal(v, TOO_DEEP);
    assert.ok(!JSON.stringify(redactDeep({ deep: [[[[ANTHROPIC]]]] }).value).includes(ANTHROPIC));
  });

  it('never throws, and its output holds nothing left to redact', () => {
    // Self-identifying shapes only: a bare password or AWS secret is just a random string without its name.
    const shaped = FAKE_KINDS.filter((k) => !['aws-secret-access-key', 'azure-storage-key', 'password', 'generic-api-key'].includes(k));
    const secrets = shaped.map((k) => fakeSecret(k, rng));
    const pieces = fc.oneof(fc.constantFrom(...secrets, 'api_key = "', 'password: ', '://u:', '@h', '\n', '"', ' '), fc.string({ maxLength: 12 }));
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 40 }), (parts) => {
        // Joined by spaces: a key glued to more key-like characters is, by design, not that key.
        const once = redactSecrets(parts.join(' '));
        assert.equal(redactSecrets(once.text).count, 0, once.text);
        for (const s of secrets) assert.ok(!once.text.includes(s));
      }),
      { numRuns: 300 },
    );
  });
});
