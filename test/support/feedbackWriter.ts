// A separate process appending routing feedback, for the multi-process tests: `node --import tsx feedbackWriter.ts
// <root> <writer id> <count>`; compaction is shrunk so that it runs often while the others append.
import { nodeFileSystem } from '../../src/core/platform/fileSystem';
import { workspaceFeedback } from '../../src/core/router/feedback';
import { nodeFileAccess } from '../../src/core/router/tools';

const [root, id, count] = process.argv.slice(2);
const fb = workspaceFeedback({ fs: nodeFileSystem, root: root!, realpath: nodeFileAccess.realpath, maxRecords: 40, compactEvery: 5 });
void (async () => {
  for (let i = 0; i < Number(count); i++)
    await fb.record({ taskId: `${id}-${i}`, command: 'explain', language: 'typescript', score: 0.3, threshold: 0.5, outcome: 'accepted-local' });
})().catch((e: unknown) => {
  process.stderr.write(`${String(e)}\n`);
  process.exitCode = 1;
});
