// What the shipped router model was trained from: the feature extractor's source and the training split. A test
// recomputes it, so changing a cue or a label without re-running scripts/train-router.ts fails loudly.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export function routingModelFingerprint(root: string): string {
  const h = createHash('sha256');
  for (const f of [
    'src/core/router/features.ts',
    'src/core/router/codeFeatures.ts',
    'src/core/router/diffFeatures.ts',
    'src/core/router/jsStructure.ts',
    'src/core/router/taskFeatures.ts',
    'data/routing/train.jsonl',
  ])
    h.update(readFileSync(join(root, f), 'utf8').replace(/\r\n/g, '\n'));
  return h.digest('hex').slice(0, 16);
}
