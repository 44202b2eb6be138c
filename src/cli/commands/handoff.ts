// `llmgenie handoff validate` (the CI gate) and `llmgenie handoff create` (a draft from git changes, no model).
import { relative, resolve } from 'node:path';
import { systemClock } from '../../core/platform/clock';
import type { Clock } from '../../core/platform/clock';
import { nodeFileSystem } from '../../core/platform/fileSystem';
import type { FileSystem } from '../../core/platform/fileSystem';
import { loadHandoffConfig } from '../../core/handoff/config';
import type { HandoffConfig } from '../../core/handoff/config';
import { createHandoffDraft, HandoffCreateError } from '../../core/handoff/create';
import { HandoffConfigError, HandoffReadError } from '../../core/handoff/errors';
import { nodeGitRunner, type GitRunner } from '../../core/platform/git';
import { validateHandoffPath } from '../../core/handoff/read';
import { handoffReportJson } from '../../core/handoff/validate';
import type { HandoffReport } from '../../core/handoff/validate';
import { nullSink } from '../../core/sessions/sink';
import type { HandoffEventPayload, SessionEventSink } from '../../core/sessions/sink';
import { parseCliArgs } from '../args';
import { CliError, UsageError } from '../command';
import type { CliCommand, CliIO } from '../command';

export interface HandoffCliDeps {
  readonly fs?: FileSystem;
  readonly clock?: Clock;
  readonly git?: GitRunner;
  /** Receives one `handoff` event per validation or created draft. */
  readonly sink?: SessionEventSink;
}

const VALIDATE_USAGE = `llmgenie handoff validate PATH [--min-score N] [--json] [--root DIR]
  Scores a handoff package (its folder or its HANDOFF.md) and lists the gaps.
  Exit 0 passed, 1 failed (errors or score below the minimum), 2 unreadable input.
  --min-score N  pass threshold 0..100 (default: .llmgenie/handoff.json minScore, or 70)
  --json         {file, score, passed, minScore, gaps, files} on stdout
  --root DIR     workspace root the listed files are relative to (default: the current folder)`;

const CREATE_USAGE = `llmgenie handoff create [--name N] [--title T] [--from A] [--to B] [--base REF] [--file PATH]... [--question Q]... [--force] [--root DIR]
  Drafts docs/handoff/<name>/HANDOFF.md from the files git reports as changed; no model needed.
  --name N     folder name (default: <date>-<branch>)
  --title T    package title (default: the branch name)
  --from A     author (default: git user.name)       --to B   recipient
  --base REF   also list files committed since REF (git diff --name-only REF...HEAD)
  --file PATH  add a file (repeatable)
  --question Q add a control question, "question — expected answer" (repeatable)
  --force      overwrite an existing HANDOFF.md
  --root DIR   workspace root (default: the current folder)`;

function rootOf(io: CliIO, root: string | undefined): string {
  return resolve(io.cwd, root ?? '.').replace(/\\/g, '/');
}

function shown(root: string, file: string): string {
  const rel = relative(root, file).replace(/\\/g, '/');
  return rel && !rel.startsWith('..') ? rel : file;
}

async function config(fs: FileSystem, root: string, minScore: string | undefined): Promise<HandoffConfig> {
  let base: HandoffConfig;
  try {
    base = await loadHandoffConfig(fs, root);
  } catch (e) {
    if (e instanceof HandoffConfigError) throw new CliError(e.message, 2);
    throw e;
  }
  if (minScore === undefined) return base;
  const n = Number(minScore);
  if (!/^\d+(\.\d+)?$/.test(minScore.trim()) || !(n >= 0 && n <= 100)) {
    throw new UsageError(`--min-score must be a number from 0 to 100, got "${minScore}"`);
  }
  return { ...base, minScore: n };
}

async function log(sink: SessionEventSink, io: CliIO, payload: HandoffEventPayload): Promise<void> {
  try {
    await sink.append({ type: 'handoff', payload });
  } catch (e) {
    io.err(`llmgenie: could not log the handoff event: ${(e as Error).message.split('\n')[0]}\n`);
  }
}

/** `path:line: severity id: message (-cost)`, the shape CI log parsers and terminals link to. */
export function formatReport(report: HandoffReport, file: string): string {
  const errors = report.gaps.filter((g) => g.severity === 'error').length;
  const warnings = report.gaps.length - errors;
  const verdict = report.passed ? 'PASSED' : 'FAILED';
  const lines = [`${file}: score ${report.score}/100, ${verdict} (minimum ${report.minScore})`];
  for (const g of report.gaps) {
    const at = g.line ? `${file}:${g.line}` : file;
    lines.push(`  ${at}: ${g.severity} ${g.id}: ${g.message}${g.cost ? ` (-${g.cost})` : ''}`);
  }
  const present = report.files.filter((f) => f.exists).length;
  lines.push(
    `${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}; ` +
      `${report.files.length} file${report.files.length === 1 ? '' : 's'} listed, ${present} found, ` +
      `${report.document.questions.length} control question${report.document.questions.length === 1 ? '' : 's'}`,
  );
  return `${lines.join('\n')}\n`;
}

export function createHandoffCommands(deps: HandoffCliDeps = {}): CliCommand[] {
  const fs = deps.fs ?? nodeFileSystem;
  const clock = deps.clock ?? systemClock;
  const git = deps.git ?? nodeGitRunner;
  const sink = deps.sink ?? nullSink;

  const validate: CliCommand = {
    words: ['handoff', 'validate'],
    summary: 'Score a handoff package and list its gaps (CI gate)',
    usage: VALIDATE_USAGE,
    async run(args, io) {
      const { values, positionals } = parseCliArgs(args, { 'min-score': { type: 'string' }, json: { type: 'boolean' }, root: { type: 'string' } });
      if (positionals.length !== 1) throw new UsageError(positionals.length ? `expected one PATH, got ${positionals.length}` : 'expected one PATH');
      const root = rootOf(io, values.root);
      const cfg = await config(fs, root, values['min-score']);
      const target = positionals[0];
      let report: HandoffReport & { file: string };
      try {
        report = await validateHandoffPath(fs, root, resolve(io.cwd, target).replace(/\\/g, '/'), { config: cfg });
      } catch (e) {
        if (e instanceof HandoffReadError) throw new CliError(e.message.replace(resolve(io.cwd, target).replace(/\\/g, '/'), target), 2);
        throw e;
      }
      const file = shown(root, report.file);
      if (values.json) {
        io.out(`${JSON.stringify(handoffReportJson(report, file), null, 2)}\n`);
      } else {
        io.out(formatReport(report, file));
      }
      await log(sink, io, { path: file, score: report.score, passed: report.passed, gaps: report.gaps.length, action: 'validate' });
      return report.passed ? 0 : 1;
    },
  };

  const create: CliCommand = {
    words: ['handoff', 'create'],
    summary: 'Draft a handoff package from the files git reports as changed',
    usage: CREATE_USAGE,
    async run(args, io) {
      const { values, positionals } = parseCliArgs(args, {
          name: { type: 'string' },
          title: { type: 'string' },
          from: { type: 'string' },
          to: { type: 'string' },
          base: { type: 'string' },
          file: { type: 'string', multiple: true },
          question: { type: 'string', multiple: true },
          force: { type: 'boolean' },
          root: { type: 'string' },
      });
      if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
      if (values.name !== undefined && (!/^[\p{L}\p{N}._-]+$/u.test(values.name) || /^\.+$/.test(values.name))) {
        throw new UsageError(`--name may only use letters, digits, ".", "_" and "-", got "${values.name}"`);
      }
      const root = rootOf(io, values.root);
      const cfg = await config(fs, root, undefined);
      let created;
      try {
        created = await createHandoffDraft({
          fs,
          root,
          config: cfg,
          git,
          now: clock.now(),
          ...(values.name !== undefined ? { name: values.name } : {}),
          ...(values.title !== undefined ? { title: values.title } : {}),
          ...(values.from !== undefined ? { from: values.from } : {}),
          ...(values.to !== undefined ? { to: values.to } : {}),
          ...(values.base ? { base: values.base } : {}),
          files: values.file ?? [],
          questions: values.question ?? [],
          overwrite: values.force === true,
        });
      } catch (e) {
        if (e instanceof HandoffCreateError && e.code === 'exists') {
          throw new CliError(`${shown(root, e.file!)} already exists (use --force to overwrite)`, 2);
        }
        if (e instanceof HandoffCreateError) throw new CliError(e.message, 2);
        throw e;
      }
      const { changes, files, report, file, dir } = created;
      if (!changes.available) io.err(`llmgenie: no git changes collected (${changes.error ?? 'not a git work tree'})\n`);
      const rel = shown(root, file);
      io.out(
        `created ${rel} (${files.length} file${files.length === 1 ? '' : 's'}); draft score ${report.score}/100 with ` +
          `${report.gaps.length} gap${report.gaps.length === 1 ? '' : 's'}: fill the TODOs, then run ` +
          `'llmgenie handoff validate ${shown(root, dir)}'\n`,
      );
      await log(sink, io, { path: rel, score: report.score, passed: report.passed, gaps: report.gaps.length, action: 'create' });
      return 0;
    },
  };

  return [validate, create];
}

export const commands: CliCommand[] = createHandoffCommands();
