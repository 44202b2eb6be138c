// `npm run bench`: runs every bench/*.bench.ts and prints each figure as one JSON line on stdout.
// Targets are printed beside the figures and judged here, never in tests.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export type Figure = Record<string, unknown> & { bench: string; metric: string };
export type Emit = (figure: Figure) => void;

async function main(): Promise<void> {
  const only = process.argv[2];
  const dir = join(process.cwd(), 'bench');
  const files = readdirSync(dir).filter((f) => f.endsWith('.bench.ts') && (!only || f.startsWith(only))).sort();
  let failed = 0;
  for (const f of files) {
    const mod = (await import(pathToFileURL(join(dir, f)).href)) as { run(emit: Emit): Promise<void> };
    try {
      await mod.run((fig) => process.stdout.write(`${JSON.stringify(fig)}\n`));
    } catch (e) {
      failed++;
      process.stdout.write(`${JSON.stringify({ bench: f, metric: 'error', error: String((e as Error).message ?? e) })}\n`);
    }
  }
  process.exitCode = failed ? 1 : 0;
}

void main();
