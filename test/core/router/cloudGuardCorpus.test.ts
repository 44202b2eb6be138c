import assert from 'node:assert/strict';
import type { CliIO } from '../../../src/cli/command';
import { createAskCommand } from '../../../src/cli/commands/ask';
import { MemoryFileSystem } from '../../support/memoryFileSystem';
import { startFakeOllama, type FakeOllama } from '../../support/fakeOllama';
import { startFakeAnthropic, FAKE_CLAUDE_KEY, type ClaudeRequestBody, type FakeAnthropic } from '../../support/fakeAnthropic';
import { buildCloudForms } from '../../fixtures/secrets/cloudForms';

/** Every character of text the server received: system, message text, tool inputs and tool results. */
function receivedText(body: ClaudeRequestBody): string {
  return JSON.stringify(body) + JSON.stringify(JSON.parse(JSON.stringify(body), (_k, v: unknown) => v));
}
const allText = (claude: FakeAnthropic) => claude.requests.map((r) => {
  const parts: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') parts.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(r.body);
  return parts.join('\n') + receivedText(r.body);
}).join('\n');

describe('cloud guard corpus: no secret form reaches the Claude server (real SDK client, `ask --route cloud`)', () => {
  let ollama: FakeOllama;
  let claude: FakeAnthropic;
  const forms = buildCloudForms();
  const files: Record<string, string> = {};
  forms.forEach((f, i) => (files[`/proj/secrets/form${i}.txt`] = f.text));
  const fs = new MemoryFileSystem(files);
  let env: Record<string, string | undefined>;
  before(async () => {
    ollama = await startFakeOllama();
    claude = await startFakeAnthropic();
  });
  after(async () => {
    await ollama.close();
    await claude.close();
  });
  beforeEach(() => {
    claude.requests.length = 0;
    env = { OLLAMA_HOST: ollama.host, ANTHROPIC_BASE_URL: claude.url, ANTHROPIC_API_KEY: FAKE_CLAUDE_KEY };
  });
  const ask = async (args: string[], stdin = ''): Promise<number> => {
    const io: CliIO = { cwd: '/proj', env, out: () => {}, err: () => {}, readStdin: async () => stdin };
    return createAskCommand({ fs, sink: () => ({ append: async () => {} }) }).run(args, io);
  };

  it('holds at least 100 forms, every form of issue #11 among them', () => {
    assert.ok(forms.length >= 100, `${forms.length} forms`);
    for (const id of ['aws-session-token-json', 'aws-console-csv', 'aws-key-pair-base64', 'curl-user', 'docker-config-auth', 'env-unknown-names', 'openssh-key', 'pem-hash-commented', 'pem-markdown-quoted', 'pem-truncated', 'pem-base64-k8s-secret', 'pem-url-encoded', 'password-next-line', 'slack-xapp', 'slack-webhook-url-encoded', 'stripe-whsec', 'concat-anthropic', 'concat-github', 'unicode-escaped-prefix', 'url-unencoded-password'])
      assert.ok(forms.some((f) => f.id === id), id);
  });

  for (const [i, form] of forms.entries()) {
    it(`masks ${form.id} in the prompt`, async () => {
      assert.equal(await ask(['-', '--route', 'cloud'], form.text), 0);
      const got = allText(claude);
      assert.ok(claude.requests.length >= 1);
      for (const s of form.mustNotContain) assert.ok(!got.includes(s), `${form.id}: "${s}" reached Claude`);
    });
    if (i % 10 === 0)
      it(`masks ${form.id} in a file the model reads with read_file (a tool result)`, async () => {
        claude.enqueue({ toolUses: [{ name: 'read_file', input: { path: `secrets/form${i}.txt` } }] }, { text: 'The file holds a configuration for the service, nothing more to say here.' });
        assert.equal(await ask(['what', 'is', 'in', 'that', 'file?', '--route', 'cloud']), 0);
        assert.equal(claude.requests.length, 2);
        const got = allText(claude);
        assert.ok(got.includes('[REDACTED'), 'the tool result reached Claude masked');
        for (const s of form.mustNotContain) assert.ok(!got.includes(s), `${form.id}: "${s}" reached Claude via read_file`);
      });
  }

  it('LLMGENIE_SECRETS=block sends nothing for these forms', async () => {
    env.LLMGENIE_SECRETS = 'block';
    for (const form of forms.filter((_, i) => i % 5 === 0)) {
      await ask(['-', '--route', 'cloud'], form.text);
      assert.equal(claude.requests.length, 0, `${form.id} was sent in block mode`);
    }
  });

  it('escalation history: a local draft that repeats the secret reaches Claude masked', async () => {
    const form = forms.find((f) => f.id === 'pem-hash-commented')!;
    ollama.enqueue({ text: `Dunno. ${form.text}` });
    await ask(['-', '--route', 'auto', '--command', 'explain'], `explain ${form.text}`);
    for (const s of form.mustNotContain) assert.ok(!allText(claude).includes(s), 'history leaked');
  });
});
