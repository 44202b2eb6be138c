// Builds train.jsonl / test.jsonl from the hand-written task files source/train.tasks and source/test.tasks.
// Each task is built exactly as the editor builds it (buildEditorTask / buildCommitTask in editorTasks.ts), so
// the router is trained and measured on what it sees at run time. Run: npx tsx data/routing/build.ts
// The split is by file, not random: test.tasks was written first and holds its own code contexts, so no context
// (and no near-copy of a task) appears in both splits.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildCommitTask, buildEditorTask, type EditorCommand } from '../../src/core/router/editorTasks';
import type { RoutingExample } from '../../src/core/router/routingDataset';

const dir = join(process.cwd(), 'data', 'routing');
// Route first, then budget: the router sees the whole selection, so the dataset does not cut it.
const COMMANDS = new Set(['explain', 'refactor', 'tests', 'review', 'ask', 'commit', 'none']);

interface Block {
  id: string;
  language?: string;
  fileName?: string;
  tasks: { command: string; label: 'local' | 'cloud'; instruction: string; line: number }[];
  code: string;
}

export function parseTaskFile(text: string, file: string): Block[] {
  const blocks: Block[] = [];
  let cur: Block | undefined;
  let body: string[] = [];
  const flush = () => {
    if (cur) blocks.push({ ...cur, code: body.join('\n').replace(/\s+$/, '') + (body.length ? '\n' : '') });
    body = [];
  };
  text.split('\n').forEach((line, i) => {
    if (line.startsWith('=== ')) {
      flush();
      const [id, language, fileName] = line.slice(4).split('|').map((s) => s.trim());
      cur = { id: id!, ...(language ? { language } : {}), ...(fileName ? { fileName } : {}), tasks: [], code: '' };
      return;
    }
    if (!cur) return; // the file's header comment
    if (line.startsWith('%% ')) {
      const m = /^%% (\w+) (local|cloud)(?: :: (.+))?$/.exec(line);
      if (!m || !COMMANDS.has(m[1]!)) throw new Error(`${file}:${i + 1}: expected "%% <command> <local|cloud> [:: instruction]"`);
      cur.tasks.push({ command: m[1]!, label: m[2] as 'local' | 'cloud', instruction: m[3]?.trim() ?? '', line: i + 1 });
      return;
    }
    if (body.length || line.trim()) body.push(line);
  });
  flush();
  return blocks;
}

export function buildExamples(blocks: Block[], file: string): RoutingExample[] {
  const out: RoutingExample[] = [];
  for (const b of blocks) {
    b.tasks.forEach((t, n) => {
      const id = `${b.id}-${n + 1}`;
      const base = { id, label: t.label };
      if (t.command === 'none') {
        out.push({ ...base, prompt: t.instruction, ...(b.code ? { context: b.code } : {}), ...(b.language ? { language: b.language } : {}), ...(b.fileName ? { fileName: b.fileName } : {}) });
        return;
      }
      if (!b.code || !b.fileName || !b.language) throw new Error(`${file}:${t.line}: an editor command needs a code block with a language and file name`);
      if (t.command === 'commit') {
        const task = buildCommitTask(b.code, {});
        out.push({ ...base, command: 'commit', prompt: task.input.prompt, context: task.input.context, language: 'diff' });
        return;
      }
      if (t.command === 'ask' && !t.instruction) throw new Error(`${file}:${t.line}: ask needs a question`);
      // Alternate selection and whole file, as people use both.
      const whole = n % 2 === 1;
      const task = buildEditorTask(
        t.command as Exclude<EditorCommand, 'commit'>,
        { fileName: b.fileName, languageId: b.language, text: b.code, selection: whole ? { start: 0, end: 0 } : { start: 0, end: b.code.length } },
        { ...(t.instruction ? { question: t.instruction } : {}) },
      );
      out.push({ ...base, command: t.command, prompt: task.input.prompt, context: task.input.context, language: b.language, fileName: b.fileName });
    });
  }
  return out;
}

if (process.argv[1]?.endsWith('build.ts')) {
  const seen = new Map<string, string>();
  for (const split of ['test', 'train'] as const) {
    const file = `source/${split}.tasks`;
    const examples = buildExamples(parseTaskFile(readFileSync(join(dir, file), 'utf8'), file), file);
    for (const e of examples) {
      const key = `${e.command ?? ''}\u0000${e.prompt}\u0000${e.context ?? ''}`;
      if (seen.has(key)) throw new Error(`${e.id} duplicates ${seen.get(key)}`);
      seen.set(key, e.id);
    }
    writeFileSync(join(dir, `${split}.jsonl`), examples.map((e) => JSON.stringify(e)).join('\n') + '\n');
    const by = (l: string) => examples.filter((e) => e.label === l).length;
    const commands = [...new Set(examples.map((e) => e.command ?? 'none'))]
      .map((c) => `${c} ${examples.filter((e) => (e.command ?? 'none') === c && e.label === 'local').length}/${examples.filter((e) => (e.command ?? 'none') === c && e.label === 'cloud').length}`)
      .join(', ');
    console.log(`${split}: ${examples.length} tasks (local ${by('local')}, cloud ${by('cloud')}); local/cloud per command: ${commands}`);
  }
}
