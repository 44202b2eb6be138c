import assert from 'node:assert/strict';
import { buildCorpus } from '../../../bench/fixtures/policy/secretCorpus';
import { chars, fakeSecret, FAKE_KINDS, makeRng, pemBody, ALNUM } from '../../../bench/fixtures/policy/fakeSecrets';
import { scanSecrets } from '../../../src/core/policy/secrets/scanSecrets';

const rng = makeRng(7);
const kindsIn = (text: string, unquotedValues = true) => scanSecrets(text, { unquotedValues }).map((m) => m.kind);

describe('policy/secrets scanner', () => {
  const expected: Record<(typeof FAKE_KINDS)[number], (v: string) => [string, string]> = {
    'aws-access-key-id': (v) => [`aws_access_key_id = ${v}`, 'aws-access-key-id'],
    'aws-secret-access-key': (v) => [`aws_secret_access_key = "${v}"`, 'aws-secret-access-key'],
    'gcp-api-key': (v) => [`key: "${v}"`, 'gcp-api-key'],
    'azure-storage-key': (v) => [`conn = "AccountName=acme;AccountKey=${v};"`, 'azure-storage-key'],
    'github-token': (v) => [`const t = "${v}";`, 'github-token'],
    'gitlab-token': (v) => [`const t = "${v}";`, 'gitlab-token'],
    'slack-webhook': (v) => [`post("${v}")`, 'slack-webhook'],
    'slack-token': (v) => [`new WebClient("${v}")`, 'slack-token'],
    'discord-webhook': (v) => [`post("${v}")`, 'discord-webhook'],
    'stripe-secret-key': (v) => [`Stripe("${v}")`, 'stripe-secret-key'],
    'anthropic-api-key': (v) => [`new Anthropic({ apiKey: "${v}" })`, 'anthropic-api-key'],
    'openai-api-key': (v) => [`new OpenAI({ apiKey: "${v}" })`, 'openai-api-key'],
    'huggingface-token': (v) => [`login("${v}")`, 'huggingface-token'],
    'npm-token': (v) => [`//registry.npmjs.org/:_authToken=${v}`, 'npm-token'],
    jwt: (v) => [`fetch(u, { headers: { Authorization: "Bearer ${v}" } })`, 'jwt'],
    password: (v) => [`const db = { password: "${v}" };`, 'password-assignment'],
    'generic-api-key': (v) => [`SENDGRID_API_KEY = "${v}"`, 'generic-secret'],
  };

  for (const kind of FAKE_KINDS) {
    it(`finds ${kind} and reports exactly the secret's span`, () => {
      for (let i = 0; i < 5; i++) {
        const v = fakeSecret(kind, rng);
        const [line, want] = expected[kind](v);
        const found = scanSecrets(line);
        assert.equal(found.length, 1, `${kind}: ${line}`);
        assert.equal(found[0].kind, want);
        assert.equal(line.slice(found[0].start, found[0].end), found[0].value);
        assert.ok(v.includes(found[0].value), `${kind}: span ${found[0].value} is within the planted value`);
      }
    });
  }

  it('finds a multi-line PEM private key and underlines the block from its BEGIN line', () => {
    const body = pemBody(rng, 10);
    const text = `x = 1\n-----BEGIN RSA PRIVATE KEY-----\n${body.join('\n')}\n-----END RSA PRIVATE KEY-----\n`;
    const [m] = scanSecrets(text);
    assert.equal(m.kind, 'private-key');
    assert.equal(text.slice(m.rangeStart, m.rangeStart + 31), '-----BEGIN RSA PRIVATE KEY-----');
    assert.ok(m.value.startsWith('MIIE'));
  });

  it('classifies a key inside a GCP service-account JSON', () => {
    const body = pemBody(rng, 12).join('\\n');
    const text = `{"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\\n${body}\\n-----END PRIVATE KEY-----\\n", "client_email": "a@b.iam.gserviceaccount.com"}`;
    assert.deepEqual(kindsIn(text), ['gcp-service-account-key']);
  });

  it('reports only the password of a connection string, and not placeholders, env refs or defaults', () => {
    const pw = `Zx${chars(rng, ALNUM, 12)}`;
    const [m] = scanSecrets(`url = "postgresql://app:${pw}@db.internal:5432/app"`);
    assert.equal(m.kind, 'connection-string-password');
    assert.equal(m.value, pw);
    for (const decoy of [
      'postgres://app:${DB_PASSWORD}@db/app',
      'postgres://postgres:postgres@localhost/dev',
      'mysql://user:password@host/db',
      'https://deploy@github.com/acme/x.git',
      'http://api.internal:8080/health',
      `https://abc:${pw}@example.com/`,
    ])
      assert.deepEqual(kindsIn(decoy), [], decoy);
  });

  it('accepts unquoted values only where the file format makes them literals', () => {
    const line = `API_TOKEN=${chars(rng, ALNUM, 32)}`;
    assert.deepEqual(kindsIn(line, true), ['generic-secret']);
    assert.deepEqual(kindsIn(line, false), []);
    assert.deepEqual(kindsIn('const apiKey = config.secrets.apiKey;', true), []);
  });

  it('finds nothing in any decoy of the labelled corpus', () => {
    const decoys = buildCorpus(3, 1, 2).filter((s) => s.planted.length === 0);
    assert.ok(decoys.length > 100);
    for (const d of decoys) assert.deepEqual(kindsIn(d.lines.join('\n')), [], `${d.label}: ${d.lines.join(' / ')}`);
  });

  it('does not mistake identifiers, paths, templates or regexes under secret names for secrets', () => {
    for (const decoy of [
      'export const FLOW_PASSWORD_REQUIRED_V2 = "FlowPasswordRequiredResultV2";',
      'export const SIGNIN_TOKEN = "/oauth2/v2.0/token";',
      'credential: `${clientInfo.uid}${SEPARATOR}${clientInfo.utid}`,',
      'const TOKEN_STRINGS = "[A-Za-z0-9._~+/-]+=*";',
      'password: "[type=password]",',
      "PWD: '/Users/maciej',",
      '"The_parser_expected_to_find_a_token_here_1007": "分析器预期在此处找到与标记匹配的。",',
    ])
      assert.deepEqual(kindsIn(decoy), [], decoy);
  });
});
