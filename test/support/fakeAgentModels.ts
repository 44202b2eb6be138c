import { fakeSecret, makeRng } from '../../bench/fixtures/policy/fakeSecrets';
import type { ClaudeRequestBody, FakeClaudeReply } from './fakeAnthropic';
import type { FakeOllamaReply, OllamaChatBody } from './fakeOllama';

/**
 * The stand-in models for agent runs: they answer as the coder, librarian and reviewer would (role told by the
 * system prompt), over either wire format, so the real `ollama` and `@anthropic-ai/sdk` clients are exercised.
 * Scenarios make them misbehave the way real models do: malformed JSON, a leaked secret, a thin package, a
 * review that requests changes.
 */
export interface AgentScenario {
  /** These roles' first reply is not valid JSON (the step retries once with the errors). */
  malformedOnce?: Array<'coder' | 'librarian' | 'reviewer'>;
  /** These roles never reply with valid JSON (the step fails after one retry). */
  malformedAlways?: Array<'coder' | 'librarian' | 'reviewer'>;
  /** The reviewer requests changes in round 1, approves in round 2. */
  requestChanges?: boolean;
  /** The coder's test fails the check: in round 1 only ('once'), or in every round ('always'). */
  failingCheck?: 'once' | 'always';
  /** The coder writes a hard-coded API key. */
  secret?: boolean;
  /** The librarian lists too few files and questions (the package fails the validator, twice). */
  thinPackage?: boolean;
  /** Delay before each reply starts. */
  latencyMs?: number;
  /** Per-task overrides, chosen by a word of the task: `{ slugify: { requestChanges: true } }`. */
  byTask?: Record<string, Omit<AgentScenario, 'byTask'>>;
}

export interface RoleReply {
  text?: string;
  toolCalls?: Array<{ name: string; input: Record<string, unknown> }>;
}

interface Msg {
  role: string;
  text: string;
  isToolResult: boolean;
}

type Role = 'coder' | 'librarian' | 'reviewer';

export function roleOf(system: string): Role | undefined {
  const m = /You are the llmgenie (coder|librarian|reviewer)/.exec(system);
  return m?.[1] as Role | undefined;
}

const json = (v: unknown) => `Done.\n\n\`\`\`json\n${JSON.stringify(v, null, 2)}\n\`\`\``;

function helperOf(task: string): { name: string; src: string; test: string } {
  const name = /slug/i.test(task) ? 'slugify' : /clamp/i.test(task) ? 'clamp' : 'helper';
  const impl: Record<string, string> = {
    clamp: 'export function clamp(value, min, max) {\n  if (min > max) throw new RangeError("min must not exceed max");\n  return Math.min(Math.max(value, min), max);\n}\n',
    slugify:
      'export function slugify(text) {\n  return text\n    .normalize("NFKD")\n    .replace(/[\\u0300-\\u036f]/g, "")\n    .toLowerCase()\n    .replace(/[^a-z0-9]+/g, "-")\n    .replace(/^-+|-+$/g, "");\n}\n',
    helper: 'export function helper(value) {\n  return value;\n}\n',
  };
  const cases: Record<string, string> = {
    clamp: 'assert.equal(clamp(5, 0, 3), 3);\n  assert.equal(clamp(-1, 0, 3), 0);\n  assert.equal(clamp(2, 0, 3), 2);',
    slugify: 'assert.equal(slugify("Hello, World!"), "hello-world");\n  assert.equal(slugify("  Crème brûlée "), "creme-brulee");',
    helper: 'assert.equal(helper(1), 1);',
  };
  return {
    name,
    src: impl[name]!,
    test: `import { test } from "node:test";\nimport assert from "node:assert/strict";\nimport { ${name} } from "../src/${name}.mjs";\n\ntest("${name} works", () => {\n  ${cases[name]}\n});\n`,
  };
}

function scenarioFor(base: AgentScenario, task: string): Omit<AgentScenario, 'byTask'> {
  const word = Object.keys(base.byTask ?? {}).find((w) => task.toLowerCase().includes(w.toLowerCase()));
  return { ...base, ...(word ? base.byTask![word] : {}) };
}

/** Counts replies per role and task, for "malformed once" and for tests that check nothing ran twice. */
export class AgentModelScript {
  readonly calls: Array<{ role: Role; task: string; round: number }> = [];
  private readonly firsts = new Set<string>();

  constructor(readonly scenario: AgentScenario = {}) {}

  reply(system: string, messages: Msg[]): RoleReply | undefined {
    const role = roleOf(system);
    if (!role) return undefined;
    const firstUser = messages.find((m) => m.role === 'user' && !m.isToolResult)?.text ?? '';
    const task = /^Task: (.*)$/m.exec(firstUser)?.[1] ?? '';
    const round = Number(/round (\d+)/.exec(firstUser)?.[1] ?? 1);
    const s = scenarioFor(this.scenario, task);
    this.calls.push({ role, task, round });
    const lastUser = [...messages].reverse().find((m) => m.role === 'user' && !m.isToolResult)?.text ?? '';
    const correcting = /could not be accepted|The package scored/.test(lastUser);
    const key = `${role}|${task}|${round}`;
    const results = messages.filter((m) => m.isToolResult).map((m) => m.text);
    const checked = results.some((t) => /^no check command|: (passed|failed|timeout)/.test(t));
    const finalTurn = role !== 'coder' || checked;
    if (finalTurn && s.malformedAlways?.includes(role)) return { text: 'Sure! {"summary": "oops' };
    if (finalTurn && s.malformedOnce?.includes(role) && !this.firsts.has(key)) {
      this.firsts.add(key);
      return { text: 'Here is the result: {"summary": missing quotes' };
    }
    if (role === 'coder') return this.coder(task, round, messages, s);
    if (role === 'librarian') return this.librarian(firstUser, s, correcting);
    return this.reviewer(firstUser, round, s);
  }

  private coder(task: string, round: number, messages: Msg[], s: AgentScenario): RoleReply {
    const h = helperOf(task);
    const results = messages.filter((m) => m.isToolResult).map((m) => m.text);
    const wrote = results.some((t) => t.startsWith('wrote '));
    const checked = results.some((t) => /^no check command|: (passed|failed|timeout)/.test(t));
    if (!results.length) return { toolCalls: [{ name: 'list_files', input: {} }] };
    if (!wrote) {
      const failing = s.failingCheck === 'always' || (s.failingCheck === 'once' && round === 1);
      const src = round > 1 ? `/** Reviewed: inputs are numbers; see the tests. */\n${h.src}` : h.src;
      const calls: RoleReply['toolCalls'] = [
        { name: 'write_file', input: { path: `src/${h.name}.mjs`, content: src } },
        { name: 'write_file', input: { path: `test/${h.name}.test.mjs`, content: failing ? h.test.replace('test("', 'test("fails on purpose", () => assert.equal(1, 2, "stand-in failure"));\ntest("') : h.test } },
      ];
      if (s.secret) calls.push({ name: 'write_file', input: { path: 'src/config.mjs', content: `export const apiKey = "${fakeSecret('anthropic-api-key', makeRng(7))}";\n` } });
      return { toolCalls: calls };
    }
    if (!checked) return { toolCalls: [{ name: 'run_check', input: {} }] };
    return {
      text: json({
        summary: `Added ${h.name} in src/${h.name}.mjs with node:test tests${round > 1 ? ', and addressed the review findings' : ''}.`,
        commitMessage: `Add ${h.name} helper with tests\n\n${h.name} lives in src/${h.name}.mjs; tests in test/${h.name}.test.mjs.`,
        openQuestions: [],
      }),
    };
  }

  private librarian(prompt: string, s: AgentScenario, _correcting: boolean): RoleReply {
    const task = /^Task: (.*)$/m.exec(prompt)?.[1] ?? 'the task';
    const changed = (/^Files changed: (.*)$/m.exec(prompt)?.[1] ?? '').split(', ').filter((f) => f && f !== '(none)');
    const all = (/Files in the worktree:\n([\s\S]*?)\n\n/.exec(prompt)?.[1] ?? '').split('\n').filter(Boolean);
    const files = [...new Set([...changed, ...all])].slice(0, s.thinPackage ? 1 : 6);
    const h = helperOf(task);
    return {
      text: json({
        title: task,
        prompt: `Review the ${h.name} helper added on this branch. Start with src/${h.name}.mjs and its tests in test/${h.name}.test.mjs, run the check command, then compare the behaviour at the edges with the control questions below.`,
        context: `The branch adds ${h.name} as a small pure function in an ES module, tested with node:test. The check command passed on the coder's commit.`,
        scope: `In scope: the ${h.name} function and its tests. Out of scope: using it elsewhere in the code base.`,
        files: files.map((f) => ({ path: f, note: changed.includes(f) ? 'changed on this branch' : 'context' })),
        questions: (s.thinPackage ? [0] : [0, 1, 2]).map((i) => ({
          question: [`Where does ${h.name} live?`, `How is ${h.name} tested?`, 'What does the check command run?'][i]!,
          answer: [`src/${h.name}.mjs`, `test/${h.name}.test.mjs with node:test`, 'the node test runner'][i]!,
        })),
        decisions: [{ title: `${h.name} is a pure function`, decision: 'No side effects, so it is tested directly without mocks.' }],
        lessons: [{ title: `Test ${h.name} at its edges`, summary: 'Edge inputs (empty, out of range) are where helpers break; test them first.' }],
        openQuestions: [],
      }),
    };
  }

  private reviewer(prompt: string, round: number, s: AgentScenario): RoleReply {
    const qs = (/Control questions to answer \(\d+\):\n([\s\S]*?)\n\n/.exec(prompt)?.[1] ?? '').split('\n').map((l) => l.replace(/^\d+\.\s*/, '')).filter(Boolean);
    const answers = qs.map((q) => ({ question: q, answer: `Answered from the diff: ${q.replace(/\?$/, '')}.` }));
    const file = /^\+\+\+ b\/(src\/[^\n]+)$/m.exec(prompt)?.[1] ?? 'src/helper.mjs';
    if (s.requestChanges && round === 1)
      return {
        text: json({
          verdict: 'request_changes',
          summary: 'Works, but document the expected input types.',
          answers,
          findings: [{ path: file, line: 1, severity: 'warning', message: 'Say which inputs the function expects.', suggestion: 'Add a doc comment above the function.' }],
        }),
      };
    return { text: json({ verdict: 'approve', summary: 'Small, tested and within scope.', answers, findings: [] }) };
  }
}

function toolCallsOf(r: RoleReply): FakeOllamaReply['toolCalls'] {
  return r.toolCalls?.map((c) => ({ name: c.name, arguments: c.input }));
}

/** `reply` for startFakeOllama: role answers, or `fallback` for anything that is not an agent call. */
export function ollamaAgentReply(script: AgentModelScript, fallback?: (b: OllamaChatBody) => FakeOllamaReply): (b: OllamaChatBody) => FakeOllamaReply {
  return (body) => {
    const system = body.messages.find((m) => m.role === 'system')?.content ?? '';
    const msgs = body.messages.filter((m) => m.role !== 'system').map((m) => ({ role: m.role === 'tool' ? 'user' : m.role, text: m.content ?? '', isToolResult: m.role === 'tool' }));
    const r = script.reply(system, msgs);
    if (!r) return fallback ? fallback(body) : { text: 'Not an agent request.' };
    const delay = script.scenario.latencyMs ?? 0;
    return { ...(r.text ? { text: r.text } : {}), ...(r.toolCalls ? { toolCalls: toolCallsOf(r) } : {}), firstChunkDelayMs: delay };
  };
}

export function claudeAgentReply(script: AgentModelScript, fallback?: (b: ClaudeRequestBody) => FakeClaudeReply): (b: ClaudeRequestBody) => FakeClaudeReply {
  return (body) => {
    const system = typeof body.system === 'string' ? body.system : (body.system ?? []).map((b) => b.text).join('\n');
    const msgs: Msg[] = [];
    for (const m of body.messages) {
      if (typeof m.content === 'string') {
        msgs.push({ role: m.role, text: m.content, isToolResult: false });
        continue;
      }
      const results = m.content.filter((b) => b.type === 'tool_result');
      for (const b of results) {
        const c = b.content as string | Array<{ text?: string }> | undefined;
        msgs.push({ role: 'user', text: typeof c === 'string' ? c : (c ?? []).map((x) => x.text ?? '').join(''), isToolResult: true });
      }
      const text = m.content.filter((b) => b.type === 'text').map((b) => String(b.text ?? '')).join('\n');
      if (text || !results.length) msgs.push({ role: m.role, text, isToolResult: false });
    }
    const r = script.reply(system, msgs);
    if (!r) return fallback ? fallback(body) : { text: 'Not an agent request.' };
    return { ...(r.text ? { text: r.text } : {}), ...(r.toolCalls ? { toolUses: r.toolCalls.map((c) => ({ name: c.name, input: c.input })) } : {}), firstByteDelayMs: script.scenario.latencyMs ?? 0 };
  };
}
