// Architecture guard: src/core must stay editor-free so the CLI, the MCP server and plain-Node tests can use it,
// and every editor command goes through `services.command`, so a failure is handled (one toast, detail in the
// output channel) and logged the same way whichever feature registered it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

function files(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...files(p));
    else if (/\.(ts|js|mjs|cjs)$/.test(name)) out.push(p);
  }
  return out;
}

const offenders = [];
for (const p of files('src/core')) {
  const text = readFileSync(p, 'utf8');
  if (/from\s+['"]vscode['"]|require\(\s*['"]vscode['"]\s*\)|import\(\s*['"]vscode['"]\s*\)/.test(text)) offenders.push(p);
  if (/from\s+['"](\.\.\/)+(extension|cli|mcp)\//.test(text)) offenders.push(`${p} (imports an adapter layer)`);
}
if (offenders.length) {
  console.error(`src/core must not depend on vscode or on an adapter layer:\n  ${offenders.join('\n  ')}`);
  process.exit(1);
}

// The one place allowed to call the editor's registerCommand; everything else calls services.command.
const COMMAND_HOME = join('src', 'extension', 'services.ts');
const direct = [];
for (const p of files('src')) {
  if (p === COMMAND_HOME) continue;
  readFileSync(p, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (/\bcommands\s*\.\s*register(TextEditor)?Command\s*\(/.test(line)) direct.push(`${p}:${i + 1}`);
    });
}
if (direct.length) {
  console.error(`register commands with services.command (error handling and logging one way), not vscode.commands.registerCommand:\n  ${direct.join('\n  ')}`);
  process.exit(1);
}
console.log('layers: src/core is editor-free; commands go through services.command');
