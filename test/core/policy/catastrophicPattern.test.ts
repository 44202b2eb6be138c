// Pattern rules come from a repository's rules_manifest.json. A catastrophic regex must neither hang `llmgenie
// check` nor stop the MCP server answering: patterns run on a linear-time engine; what it cannot run is refused
// when the manifest is read.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { compileLinearRegex } from '../../../src/core/policy/packs/linearRegex';
import { compilePatternRule } from '../../../src/core/policy/packs/pattern';
import { TextIndex } from '../../../src/core/policy/textIndex';
import { parseManifest } from '../../../src/core/rules/manifest';
import { diskWorkspace, removeDir } from '../../mcp/fixture';

const CLI = resolve('dist/cli.js');
const EVIL = '^(a+)+$';
/** 2^40 backtracking steps for V8 on this line: hours. */
const EVIL_LINE = `${'a'.repeat(40)}!`;

function manifest(regex: string): string {
  return JSON.stringify({ version: 1, rules: [{ id: 'evil', name: 'evil', file: '.cursor/rules/001-logging.mdc', kind: 'style', severity: 'error', enforce: { patterns: [{ regex, message: 'a run of a' }] } }] });
}

/** Runs the built CLI, killing it after `ms`; resolves its exit code (null when it had to be killed). */
function runCli(args: string[], cwd: string, ms: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const p = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, LLMGENIE_SESSION_LOG: 'off' } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => p.kill('SIGKILL'), ms);
    p.on('exit', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

describe('pattern rules run in linear time', () => {
  it('matches ^(a+)+$ on a line that would take V8 hours, with the same findings as V8 gives on easy input', () => {
    const rule = compilePatternRule({ id: 'evil', name: 'evil', severity: 'error', enforce: { patterns: [{ regex: EVIL }] } } as never);
    const t0 = performance.now();
    assert.deepEqual(rule.check('a.ts', new TextIndex(`${EVIL_LINE}\n${'a'.repeat(100_000)}\n`)).map((f) => f.range.startLine), [1]);
    assert.ok(performance.now() - t0 < 5000); // generous: a hang is the failure this guards against
    const re = compileLinearRegex('b+', 'i');
    assert.deepEqual([...re.matches('aBbcb😀b')], [{ start: 1, end: 3 }, { start: 4, end: 5 }, { start: 7, end: 8 }]);
  });

  it('refuses at manifest load what the engine cannot run in linear time, with a clear message', () => {
    for (const regex of ['(?=a)b', '(?<!x)y', '(a)\\1']) {
      const r = parseManifest('rules_manifest.json', manifest(regex));
      const p = r.problems.find((x) => x.code === 'manifest-schema');
      assert.ok(p, regex);
      assert.match(p.message, /invalid regex: .*linear-time engine, RE2: no lookahead, lookbehind or backreferences/);
    }
    assert.deepEqual(parseManifest('rules_manifest.json', manifest(EVIL)).problems, []);
  });

  describe('against the built CLI', function () {
    this.timeout(40_000);
    let dir: string;
    before(function () {
      if (!existsSync(CLI)) this.skip();
    });
    beforeEach(() => {
      dir = diskWorkspace();
      writeFileSync(`${dir}/rules_manifest.json`, manifest(EVIL));
      writeFileSync(`${dir}/src/evil.ts`, `export const s = 1;\n${EVIL_LINE}\n${'a'.repeat(20)}\n`);
    });
    afterEach(() => removeDir(dir));

    it('llmgenie check finishes and reports the rule', async () => {
      const r = await runCli(['check', 'src/evil.ts', '--format', 'json'], dir, 15_000);
      assert.notEqual(r.code, null, 'check was killed: it hung');
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stdout, /a run of a/);
    });

    it('the MCP server answers check_policy on it and keeps answering other calls', async () => {
      const client = new Client({ name: 'evil', version: '1' });
      await client.connect(new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp', '--root', dir], env: { ...process.env, LLMGENIE_SESSION_LOG: 'off' } as Record<string, string> }));
      try {
        await client.listTools();
        const [check, ping] = await Promise.all([
          client.callTool({ name: 'check_policy', arguments: { path: 'src/evil.ts' } }, undefined, { timeout: 15_000 }),
          client.ping({ timeout: 15_000 }),
        ]);
        assert.deepEqual(ping, {});
        assert.equal((check.structuredContent as { summary: { byRule: Record<string, number> } }).summary.byRule.evil, 1);
        assert.equal((await client.callTool({ name: 'get_rule', arguments: { id: 'evil' } }, undefined, { timeout: 5000 })).isError, undefined);
      } finally {
        await client.close();
      }
    });
  });
});
