import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MemoryFileSystem } from '../../support/memoryFileSystem';

export const FIXTURE_ROOT = '/ws';
const FIXTURE_DIR = join(__dirname, '../../fixtures/lessons/workspace');

/** The fixture workspace copied into memory under /ws, so tests can change it freely. */
export function fixtureFs(): MemoryFileSystem {
  const fs = new MemoryFileSystem();
  const copy = (dir: string, rel: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) copy(p, `${rel}/${name}`);
      else fs.files.set(`${FIXTURE_ROOT}${rel}/${name}`, readFileSync(p, 'utf8'));
    }
  };
  copy(FIXTURE_DIR, '');
  return fs;
}
