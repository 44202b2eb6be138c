import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

// The layer check runs in `npm run lint`; here it runs against small trees, so a regression in the guard itself shows.
const SCRIPT = resolve('scripts/check-layers.mjs');

function check(files: Record<string, string>): { status: number | null; out: string } {
  const root = mkdtempSync(join(tmpdir(), 'llmgenie-layers-'));
  try {
    for (const [p, text] of Object.entries({ 'src/core/a/x.ts': 'export const x = 1;\n', ...files })) {
      mkdirSync(dirname(join(root, p)), { recursive: true });
      writeFileSync(join(root, p), text);
    }
    const r = spawnSync(process.execPath, [SCRIPT], { cwd: root, encoding: 'utf8' });
    return { status: r.status, out: r.stdout + r.stderr };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

describe('scripts/check-layers.mjs', () => {
  it('passes a tree whose commands go through services.command', () => {
    const r = check({
      'src/extension/services.ts': "vscode.commands.registerCommand(id, run);\n",
      'src/extension/f/cmds.ts': "services.command('llmgenie.x', () => 1);\n",
    });
    assert.equal(r.status, 0, r.out);
  });

  it('fails on a direct registerCommand outside services, naming file and line', () => {
    const r = check({
      'src/extension/services.ts': "vscode.commands.registerCommand(id, run);\n",
      'src/extension/f/cmds.ts': "// one\nservices.track(vscode.commands.registerCommand('llmgenie.x', () => 1));\n",
      'src/extension/f/ed.ts': "vscode.commands.registerTextEditorCommand('llmgenie.y', () => 1);\n",
    });
    assert.equal(r.status, 1);
    assert.match(r.out, /src\/extension\/f\/cmds\.ts:2/);
    assert.match(r.out, /src\/extension\/f\/ed\.ts:1/);
  });

  it('still fails on vscode imported into core', () => {
    const r = check({ 'src/core/a/y.ts': "import * as vscode from 'vscode';\n" });
    assert.equal(r.status, 1);
    assert.match(r.out, /src\/core\/a\/y\.ts/);
  });
});
