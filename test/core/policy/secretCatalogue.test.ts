import assert from 'node:assert/strict';
import { ALNUM, B64, B64URL, chars, HEX, makeRng } from '../../../bench/fixtures/policy/fakeSecrets';
import { CATALOGUE } from '../../../src/core/policy/secrets/catalogue';
import { DETECTORS } from '../../../src/core/policy/secrets/detectors';
import { scanSecrets } from '../../../src/core/policy/secrets/scanSecrets';
import { openssh, TOKEN_FORMS, type TokenForm } from '../../fixtures/secrets/tokenForms';

const rng = makeRng(2024);
const b64url = (s: string) => Buffer.from(s).toString('base64url');

/** Kinds whose token is not a standalone shape: written in the context that defines them. */
const IN_CONTEXT: Record<string, TokenForm & { context(v: string): string }> = {
  'aws-secret-access-key': {
    family: 'cloud', envName: 'AWS_SECRET_ACCESS_KEY',
    make: (r) => chars(r, B64, 40),
    nearMiss: (r) => chars(r, B64, 30),
    placeholder: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    context: (v) => `deployer,AKIAIOSFODNN7EXAMPLE,${v}`,
  },
  'google-oauth-token': {
    family: 'cloud', envName: 'GOOGLE_TOKEN',
    make: (r) => `ya29.a0${chars(r, B64URL, 150)}`,
    nearMiss: (r) => `ya29.${chars(r, B64URL, 10)}`,
    placeholder: `ya29.${'x'.repeat(80)}`,
    context: (v) => `curl -H "X-Goog: ${v}"`,
  },
  'gcp-service-account-key': {
    family: 'cloud', envName: 'GOOGLE_CREDENTIALS',
    make: (r) => `-----BEGIN PRIVATE KEY-----\\nMIIEvQ${chars(r, B64, 58)}\\n${chars(r, B64, 64)}\\n${chars(r, B64, 64)}\\n-----END PRIVATE KEY-----\\n`,
    nearMiss: () => '-----BEGIN PRIVATE KEY-----\\n...\\n-----END PRIVATE KEY-----\\n',
    placeholder: '-----BEGIN PRIVATE KEY-----\\nYOUR_PRIVATE_KEY_HERE\\n-----END PRIVATE KEY-----\\n',
    context: (v) => `{"type": "service_account", "private_key": "${v}"}`,
  },
  'authorization-header': {
    family: 'generic', envName: 'AUTH',
    make: (r) => chars(r, ALNUM, 40),
    nearMiss: (r) => chars(r, ALNUM, 8),
    placeholder: '<your-access-token-here>',
    context: (v) => `curl -H "Authorization: Bearer ${v}" https://api.acme.io`,
  },
  'basic-auth-tuple': {
    family: 'generic', envName: 'AUTH',
    make: (r) => `Qx7#${chars(r, ALNUM, 10)}`,
    nearMiss: () => 'pw',
    placeholder: 'changeme',
    context: (v) => `requests.get(url, auth=("svc", "${v}"))`,
  },
};
/** As a secret sits in code: under the name people give it (so the name or the token's prefix can gate it). */
const inCode = (name: string) => (v: string) => `const ${name.toLowerCase().replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())} = "${v}";`;

describe('policy/secrets catalogue: one test per entry (positive, near miss, placeholder)', () => {
  it('every detector has a token form to test it with', () => {
    const missing = DETECTORS.map((d) => d.kind).filter((k) => !TOKEN_FORMS[k] && !IN_CONTEXT[k]);
    assert.deepEqual(missing, []);
  });

  it('entries are data: each has an id, a description of the documented shape, keywords and an entropy floor', () => {
    for (const e of CATALOGUE) {
      assert.ok(e.description.length > 10 && e.keywords.length && e.entropy > 0, e.id);
      assert.doesNotThrow(() => new RegExp(e.shape), e.id);
    }
    assert.equal(new Set(CATALOGUE.map((e) => e.id)).size, CATALOGUE.length);
  });

  for (const d of DETECTORS) {
    const form = TOKEN_FORMS[d.kind] ?? IN_CONTEXT[d.kind];
    const place = IN_CONTEXT[d.kind]?.context ?? (d.kind === 'private-key' ? (v: string) => v : inCode(form.envName));
    describe(d.kind, () => {
      it('finds the documented shape as code holds it, and reports its kind and a span inside it', () => {
        for (let i = 0; i < 4; i++) {
          const v = form.make(rng);
          const text = place(v);
          const found = scanSecrets(text, { unquotedValues: false }).filter((m) => m.kind === d.kind);
          assert.equal(found.length, 1, `${d.kind}: ${text.slice(0, 200)}`);
          const at = text.indexOf(v);
          assert.ok(found[0].rangeStart < at + v.length && at < found[0].rangeEnd, `${d.kind}: span overlaps the value`);
        }
      });
      it('stays silent on a near miss (same prefix, wrong length or alphabet)', () => {
        const text = place(form.nearMiss(rng));
        assert.deepEqual(scanSecrets(text, { unquotedValues: false }).map((m) => m.kind), [], text);
      });
      it('stays silent on the shape filled with a placeholder', () => {
        const text = place(form.placeholder);
        assert.deepEqual(scanSecrets(text, { unquotedValues: false }).map((m) => m.kind), [], text);
      });
    });
  }
});

describe('policy/secrets: the four bugs of issue #15', () => {
  it('OpenSSH private keys are found although their body holds runs of A (zero-padded lengths)', () => {
    for (let i = 0; i < 5; i++) {
      const key = openssh(rng);
      assert.match(key, /AAAAAA/);
      assert.deepEqual(scanSecrets(key).map((m) => m.kind), ['private-key']);
    }
  });

  it('an empty assignment does not take the next line as its value', () => {
    for (const text of ['password=\nHOST=db7f3k9q2x.internal.acme\n', 'DB_PASSWORD=\n  Zx8kQ2mW9pLr\n', 'api_token:\nnext_value_Q7x9Lm2Kp4Rt8Wz\n', 'secret =\n"Qm7xK2pL9rT4wZ8v"'])
      assert.deepEqual(scanSecrets(text, { unquotedValues: true }), [], text);
  });

  it('values longer than 400 characters under a secret name are read whole', () => {
    const op = TOKEN_FORMS['onepassword-service-token'].make(rng);
    assert.ok(op.length > 400);
    const [m] = scanSecrets(`OP_SERVICE_ACCOUNT_TOKEN=${op}\n`);
    assert.equal(m.kind, 'onepassword-service-token');
    assert.equal(m.value, op);
    const long = chars(rng, ALNUM, 600);
    const [g] = scanSecrets(`export API_TOKEN="${long}"`);
    assert.equal(g.value, long);
  });

  it('legacy npm tokens (UUIDs) under _authToken are found; a UUID elsewhere is not', () => {
    const uuid = `${chars(rng, HEX, 8)}-${chars(rng, HEX, 4)}-4${chars(rng, HEX, 3)}-9${chars(rng, HEX, 3)}-${chars(rng, HEX, 12)}`;
    assert.deepEqual(scanSecrets(`//registry.npmjs.org/:_authToken=${uuid}\n`).map((m) => [m.kind, m.value]), [['npm-token', uuid]]);
    assert.deepEqual(scanSecrets(`request_id=${uuid}\n`), []);
  });
});

describe('policy/secrets: known-public and placeholder values stay silent', () => {
  const silent = [
    'apiKey: "AIzaSyDOCAbC123dEf456GhI789jKl012-MnOpQr",', // Firebase documentation's sample
    'TELEGRAM_BOT_TOKEN=123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11', // Telegram's documented (malformed) example
    'ANTHROPIC_API_KEY=sk-ant-api03-abc123xyzabc123xyzabc123xyzabc123xyzabc123xyz-AA',
    'OPENAI_API_KEY="sk-abcdefghijklmnopqrstuvwxyzABCDEFtest"',
    `const token = "${TOKEN_FORMS.jwt.placeholder}";`, // jwt.io's John Doe claims, re-signed: a test fixture
    `TEST_JWT=${b64url('{"alg":"HS256"}')}.${b64url('{"sub":"test-user","email":"test@example.com"}')}.${chars(rng, B64URL, 43)}`,
  ];
  for (const text of silent) it(text.slice(0, 60), () => assert.deepEqual(scanSecrets(text), []));
});
