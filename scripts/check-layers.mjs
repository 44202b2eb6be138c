// Architecture guard: src/core must stay editor-free so the CLI, the MCP server and plain-Node tests can use it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const offenders = [];
function walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (/\.(ts|js|mjs|cjs)$/.test(name)) {
      const text = readFileSync(p, 'utf8');
      if (/from\s+['"]vscode['"]|require\(\s*['"]vscode['"]\s*\)|import\(\s*['"]vscode['"]\s*\)/.test(text)) offenders.push(p);
      if (/from\s+['"](\.\.\/)+(extension|cli|mcp)\//.test(text)) offenders.push(`${p} (imports an adapter layer)`);
    }
  }
}
walk('src/core');
if (offenders.length) {
  console.error(`src/core must not depend on vscode or on an adapter layer:\n  ${offenders.join('\n  ')}`);
  process.exit(1);
}
console.log('layers: src/core is editor-free');
