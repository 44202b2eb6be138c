import assert from 'node:assert/strict';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { inProcess, result, ROOT, SECRET, type InProcess } from './fixture';

async function rejects(p: Promise<unknown>, code: number, message: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof McpError, `expected an McpError, got ${String(e)}`);
    assert.equal(e.code, code);
    assert.match(e.message, message);
    return true;
  });
}

function text(r: { contents: ReadonlyArray<object> }): string {
  const c = r.contents[0] as { text?: unknown } | undefined;
  return String(c?.text ?? '');
}

describe('mcp resources and prompts', () => {
  let s: InProcess;
  beforeEach(async () => (s = await inProcess()));
  afterEach(async () => s.close());

  it('lists rules, lessons, handoff packages and the decision log through the templates', async () => {
    const { resources } = await s.client.listResources();
    const uris = resources.map((r) => r.uri).sort();
    assert.deepEqual(uris, [
      'llmgenie://decision-log',
      'llmgenie://handoff/billing',
      'llmgenie://handoff/notes',
      'llmgenie://lessons/2025-01-10-integer-cents',
      'llmgenie://lessons/2025-02-01-leaked-key',
      'llmgenie://lessons/2025-02-20-cache-owner',
      'llmgenie://rules/001',
      'llmgenie://rules/400',
    ]);
    for (const r of resources) {
      assert.ok(r.name && r.mimeType === 'text/markdown', r.uri);
    }
    const { resourceTemplates } = await s.client.listResourceTemplates();
    assert.deepEqual(resourceTemplates.map((t) => t.uriTemplate).sort(), ['llmgenie://handoff/{name}', 'llmgenie://lessons/{id}', 'llmgenie://rules/{id}']);
  });

  it('reads a rule file, a lesson and a package, secrets masked', async () => {
    const rule = text(await s.client.readResource({ uri: 'llmgenie://rules/400' }));
    assert.match(rule, /^---\ndescription: Never hard-code secrets\./);
    assert.match(rule, /\[REDACTED:anthropic-api-key\]/);
    const lesson = text(await s.client.readResource({ uri: 'llmgenie://lessons/2025-02-01-leaked-key' }));
    assert.match(lesson, /^# A leaked Anthropic key in a test fixture\n\n- id: 2025-02-01-leaked-key\n- kind: lesson\n- tags: security/);
    assert.match(lesson, /- file: docs\/lessons\/2025-02-01-leaked-key\.md/);
    assert.ok(!lesson.includes(SECRET) && !rule.includes(SECRET));
    const pkg = text(await s.client.readResource({ uri: 'llmgenie://handoff/billing' }));
    assert.equal(pkg, await s.fs.readText(`${ROOT}/docs/handoff/billing/HANDOFF.md`));
  });

  it('reads the decision log, and explains an empty one', async () => {
    assert.match(text(await s.client.readResource({ uri: 'llmgenie://decision-log' })), /## 2025-03-01 — Totals in one module/);
    await s.fs.remove(`${ROOT}/docs/decision-log.md`);
    assert.match(text(await s.client.readResource({ uri: 'llmgenie://decision-log' })), /No decisions recorded yet/);
  });

  it('a recorded decision and an added lesson show up in the resources', async () => {
    result(await s.call('record_decision', { title: 'Use one clock', decision: 'Inject the clock everywhere.' }));
    assert.match(text(await s.client.readResource({ uri: 'llmgenie://decision-log' })), /## 2025-03-20 — Use one clock/);
    const added = result<{ uri: string }>(await s.call('add_lesson', { title: 'Inject clocks', body: 'Tests froze time.' }));
    assert.match(text(await s.client.readResource({ uri: added.uri })), /^# Inject clocks\n/);
  });

  it('unknown or hostile resource names are "resource not found" errors', async () => {
    await rejects(s.client.readResource({ uri: 'llmgenie://rules/999' }), -32002, /no rule "999"/);
    await rejects(s.client.readResource({ uri: 'llmgenie://lessons/nope' }), -32002, /no lesson "nope"/);
    // The URL parser folds "/.." and "/%2E%2E" away: no name is left, so no template matches (the SDK's not-found).
    await rejects(s.client.readResource({ uri: 'llmgenie://handoff/..' }), -32602, /not found/);
    await rejects(s.client.readResource({ uri: 'llmgenie://handoff/%2E%2E' }), -32602, /not found/);
    await rejects(s.client.readResource({ uri: 'llmgenie://handoff/%2E%2E%2F%2E%2E%2Fetc' }), -32002, /no handoff package "\.\.\/\.\.\/etc": .*may only use letters/);
    await rejects(s.client.readResource({ uri: 'llmgenie://other/1' }), -32602, /not found/i);
  });

  it('handoff_startup returns the package startup prompt as a user message', async () => {
    const { prompts } = await s.client.listPrompts();
    assert.deepEqual(prompts.map((p) => [p.name, p.arguments?.map((a) => [a.name, a.required])]), [['handoff_startup', [['path', true]]]]);
    const r = await s.client.getPrompt({ name: 'handoff_startup', arguments: { path: 'docs/handoff/billing' } });
    assert.equal(r.description, 'Invoice totals');
    assert.equal(r.messages.length, 1);
    assert.equal(r.messages[0].role, 'user');
    const c = r.messages[0].content;
    assert.ok(c.type === 'text' && c.text.startsWith('You are continuing the move of invoice totals'));
  });

  it('handoff_startup refuses bad paths and packages without a prompt', async () => {
    await rejects(s.client.getPrompt({ name: 'handoff_startup', arguments: { path: '../x' } }), -32602, /outside the workspace/);
    await rejects(s.client.getPrompt({ name: 'handoff_startup', arguments: { path: 'docs/handoff/none' } }), -32602, /no such file or folder: docs\/handoff\/none/);
    await s.fs.writeText(`${ROOT}/docs/handoff/bare/HANDOFF.md`, '---\ntitle: Bare\n---\n\n## Files\n\n- `src/billing.ts`\n');
    await rejects(s.client.getPrompt({ name: 'handoff_startup', arguments: { path: 'docs/handoff/bare' } }), -32602, /has no startup prompt/);
  });

  it('completes package paths, rule ids and lesson ids', async () => {
    const paths = await s.client.complete({ ref: { type: 'ref/prompt', name: 'handoff_startup' }, argument: { name: 'path', value: 'docs/handoff/b' } });
    assert.deepEqual(paths.completion.values, ['docs/handoff/billing']);
    const rules = await s.client.complete({ ref: { type: 'ref/resource', uri: 'llmgenie://rules/{id}' }, argument: { name: 'id', value: '4' } });
    assert.deepEqual(rules.completion.values, ['400']);
    const lessons = await s.client.complete({ ref: { type: 'ref/resource', uri: 'llmgenie://lessons/{id}' }, argument: { name: 'id', value: '2025-02' } });
    assert.deepEqual(lessons.completion.values.sort(), ['2025-02-01-leaked-key', '2025-02-20-cache-owner']);
  });

  it('answers ping and logging/setLevel (the logging capability is declared)', async () => {
    assert.deepEqual(await s.client.ping(), {});
    assert.deepEqual(await s.client.setLoggingLevel('warning'), {});
    assert.ok(s.client.getServerCapabilities()?.logging);
    assert.match(s.client.getInstructions() ?? '', /workspace-relative|relative to the workspace root/);
  });
});
