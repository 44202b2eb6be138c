// A small llmgenie workspace for the MCP tests: rules + manifest, lessons, a handoff package, a session, a decision
// log and source files (one with a secret). In memory for in-process tests, on disk for the transport tests.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { fakeSecret, makeRng } from '../../bench/fixtures/policy/fakeSecrets';
import type { GitRunner } from '../../src/core/platform/git';
import type { Clock } from '../../src/core/platform/clock';
import type { SessionEventInput, SessionEventSink } from '../../src/core/sessions/sink';
import { createLlmgenieServer } from '../../src/mcp/server';
import type { LlmgenieServerOptions } from '../../src/mcp/workspace';
import { MemoryFileSystem } from '../support/memoryFileSystem';
import { task } from '../core/sessions/fixtures';

export const ROOT = '/ws';
/** Built at runtime so no secret-shaped literal sits in the repository. */
export const SECRET = fakeSecret('anthropic-api-key', makeRng(8));
export const SESSION_ID = '20250301-101500000-abc123';


export const HANDOFF = `---
title: Invoice totals
from: Anna
to: Boris
created: 2025-03-14
---

# Invoice totals

## Startup prompt

You are continuing the move of invoice totals into the billing module. Read \`src/billing.ts\` first, keep money in
integer cents, do not touch the logger, and run the billing tests before you push anything to the main branch.

## Files

- \`src/billing.ts\` — totals and rounding
- \`src/logger.ts\` — the only place that may print
- \`docs/architecture.md\` — how the pieces fit
- \`docs/decision-log.md\` — why totals moved
- \`rules_manifest.json\` — the team rules
- \`src/gone.ts\` — removed last week

## Technical context

- Node 20, no framework.

## Lessons learned

- Floats drift by a cent; use integer cents.

## Scope

- In scope: totals. Out of scope: currencies.

## Control questions

1. Where are totals computed? — In \`src/billing.ts\`.
2. Which unit is money kept in? — Integer cents.
3. Who may print? — Only the logger.

## Decisions

- Totals live in one module.
`;

export function workspaceFiles(): Record<string, string> {
  const start = { v: 1, id: 'e0', time: '2025-03-01T10:15:00.000Z', type: 'session-start', payload: { host: 'editor', workspace: 'ws', version: '0.1.0' } };
  const ev = { v: 1, id: 'e1', time: '2025-03-01T10:16:00.000Z', type: 'task', payload: task({ cloudCostUsd: 0.01, totalMs: 900 }) };
  return {
    'rules_manifest.json': JSON.stringify({
      version: 1,
      rules: [
        { id: '001', name: 'logging-policy', file: '.cursor/rules/001-logging.mdc', kind: 'logging', severity: 'warning', enforce: { pack: 'logging' } },
        { id: '400', name: 'security-secrets', file: '.cursor/rules/400-security.mdc', kind: 'security', severity: 'error', enforce: { pack: 'security' } },
      ],
    }),
    '.cursor/rules/001-logging.mdc': '---\ndescription: No debugging output in production code.\nglobs: src/**/*.ts\nalwaysApply: false\n---\n# Logging (001)\n\nUse the logger, never console.log.\n',
    '.cursor/rules/400-security.mdc': `---\ndescription: Never hard-code secrets.\nglobs: "**/*"\nalwaysApply: true\n---\n# Security (400)\n\nNever write a key like ${SECRET} into code.\n`,
    'docs/lessons/2025-01-10-integer-cents.md': '---\nid: 2025-01-10-integer-cents\ntitle: Keep money in integer cents\ntags: [billing, rounding]\nkind: best-practice\ncreated: 2025-01-10\n---\n\nSumming floats drifted invoice totals by a cent. Keep money in integer cents end to end.\n',
    'docs/lessons/2025-02-01-leaked-key.md': `---\nid: 2025-02-01-leaked-key\ntitle: A leaked Anthropic key in a test fixture\ntags: [security]\ncreated: 2025-02-01\n---\n\nThe key ${SECRET} was committed in a fixture and had to be rotated. Build fake keys at runtime.\n`,
    'docs/lessons/2025-02-20-cache-owner.md': '---\ntitle: Cache invalidation needs an owner\ntags: [caching]\ncreated: 2025-02-20\n---\n\nEvery cache gets one module that invalidates it.\n',
    'docs/handoff/billing/HANDOFF.md': HANDOFF,
    'docs/handoff/notes/HANDOFF.md': 'just some notes\nwith no structure at all\n',
    'docs/architecture.md': '# Architecture\n\nBilling computes totals; the logger prints.\n',
    'docs/decision-log.md': '# Decision log\n\n## 2025-03-01 — Totals in one module\n\n### Context\n\nTwo places computed totals.\n\n### Decision\n\nOne module computes them.\n',
    'src/billing.ts': `const apiKey = "${SECRET}";\nexport function total(cents: number[]): number {\n  console.log('total', cents);\n  return cents.reduce((a, b) => a + b, 0);\n}\n`,
    'src/logger.ts': 'export const logger = { info: (m: string) => process.stdout.write(`${m}\\n`) };\n',
    [`.llmgenie/sessions/${SESSION_ID}.jsonl`]: `${JSON.stringify(start)}\n${JSON.stringify(ev)}\n`,
  };
}

export function memoryWorkspace(): MemoryFileSystem {
  const fs = new MemoryFileSystem();
  for (const [rel, text] of Object.entries(workspaceFiles())) fs.files.set(`${ROOT}/${rel}`, text);
  return fs;
}

/** The workspace on disk in a fresh temp folder; remove it with `rmSync(dir, {recursive: true, force: true})`. */
export function diskWorkspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'llmgenie-mcp-'));
  for (const [rel, text] of Object.entries(workspaceFiles())) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir.replace(/\\/g, '/');
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export const fixedClock: Clock = { now: () => new Date('2025-03-20T09:30:00.000Z') };

/** git as the handoff draft sees it: two changed files on a feature branch. */
export const fakeGit: GitRunner = async (args) => {
  if (args[0] === 'status') return ' M src/billing.ts\0?? docs/architecture.md\0';
  if (args.includes('--show-prefix')) return '\n';
  if (args.includes('--abbrev-ref')) return 'feature/invoice-totals\n';
  if (args[0] === 'config') return 'Anna\n';
  throw new Error(`unexpected git ${args.join(' ')}`);
};

export class RecordingSink implements SessionEventSink {
  readonly events: SessionEventInput[] = [];
  async append(event: SessionEventInput): Promise<void> {
    this.events.push(event);
  }
}

export interface InProcess {
  client: Client;
  fs: MemoryFileSystem;
  sink: RecordingSink;
  call(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  close(): Promise<void>;
}

/** Server and the SDK's own Client over an in-memory transport pair. */
export async function inProcess(over: Partial<LlmgenieServerOptions> = {}): Promise<InProcess> {
  const fs = (over.fs as MemoryFileSystem | undefined) ?? memoryWorkspace();
  const sink = new RecordingSink();
  const server = createLlmgenieServer({ root: ROOT, fs, clock: fixedClock, sink, env: {}, git: fakeGit, ...over });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await server.connect(a);
  const client = new Client({ name: 'llmgenie-test', version: '1.0.0' });
  await client.connect(b);
  return {
    client,
    fs,
    sink,
    call: async (name, args = {}) => (await client.callTool({ name, arguments: args })) as CallToolResult,
    close: async () => {
      await client.close();
      await server.close();
    },
  };
}

/** The text of a tool error (asserting it is one). */
export function errorText(r: CallToolResult): string {
  if (!r.isError) throw new Error(`expected a tool error, got ${JSON.stringify(r.structuredContent ?? r.content)}`);
  const c = r.content[0];
  return c?.type === 'text' ? c.text : '';
}

/** The structured result (asserting the call succeeded and the text fallback carries the same JSON). */
export function result<T = Record<string, unknown>>(r: CallToolResult): T {
  if (r.isError) throw new Error(`tool failed: ${JSON.stringify(r.content)}`);
  const c = r.content[0];
  if (c?.type !== 'text' || JSON.stringify(JSON.parse(c.text)) !== JSON.stringify(r.structuredContent)) {
    throw new Error('text fallback does not match structuredContent');
  }
  return r.structuredContent as T;
}
