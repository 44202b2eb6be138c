// `llmgenie check`: the policy engine for CI — secrets, debug logging, branch policy and manifest pattern rules.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { nodeFileSystem, type FileSystem } from '../../core/platform/fileSystem';
import { BASELINE_PATH, createBaseline, serializeBaseline } from '../../core/policy/baseline';
import { isPackName } from '../../core/policy/config';
import { createPolicyEngine } from '../../core/policy/engine';
import { gitBranchInfo } from '../../core/policy/packs/branch';
import { nodeGitRunner, type GitRunner } from '../../core/platform/git';
import { formatJson, formatText, hasErrors, summarize } from '../../core/policy/report';
import { formatSarif } from '../../core/policy/sarif';
import { MissingPathError } from '../../core/policy/tree';
import { formatPolicyConfigProblem, loadPolicyConfig, type PolicyConfigProblem } from '../../core/policy/loadPolicyConfig';
import { PolicyConfigError, type PackName, type TreeResult } from '../../core/policy/types';
import { nullSink, type SessionEventSink } from '../../core/sessions/sink';
import { parseCliArgs } from '../args';
import { CliError, UsageError, type CliCommand, type CliIO } from '../command';

const FORMATS = ['text', 'json', 'sarif'] as const;
type Format = (typeof FORMATS)[number];

const USAGE = `llmgenie check [PATH...] [--format text|json|sarif] [--rules FILE] [--no-pack security|logging|branch]
                      [--baseline FILE] [--update-baseline] [--max-bytes N]
  PATH               files or folders to check (default: the workspace); .gitignore is respected
  --format           text (default), json, or sarif (SARIF 2.1.0 on stdout, for code scanning upload)
  --rules FILE       rules_manifest.json to enforce (default: the workspace's, if any)
  --no-pack NAME     switch a built-in pack off (repeatable)
  --baseline FILE    accepted findings (default: ${BASELINE_PATH} if present)
  --update-baseline  accept every current finding: write the baseline and exit 0
  --max-bytes N      skip files larger than N bytes (default 1048576)
  Exit code: 0 nothing at error level, 1 errors found, 2 unusable input.`;

export interface CheckDeps {
  readonly fs?: FileSystem;
  readonly sink?: SessionEventSink;
  readonly git?: GitRunner;
}

const toPosix = (p: string) => p.replace(/\\/g, '/');

/**
 * A one-shot CLI gains nothing from async I/O: each promise-based read is several thread-pool round trips, and a
 * tree walk makes thousands. Synchronous reads are about twice as fast here; writes stay atomic (nodeFileSystem).
 */
export const syncReadFileSystem: FileSystem = {
  ...nodeFileSystem,
  readText: async (path) => readFileSync(path, 'utf8'),
  readBytes: async (path) => readFileSync(path),
  async stat(path) {
    const s = statSync(path, { throwIfNoEntry: false });
    return s && { kind: s.isDirectory() ? 'directory' : 'file', size: s.size, mtimeMs: s.mtimeMs };
  },
  async readDir(path) {
    return readdirSync(path, { withFileTypes: true })
      .filter((e) => e.isFile() || e.isDirectory())
      .map((e) => ({ name: e.name, kind: e.isDirectory() ? 'directory' : 'file' }));
  },
};

export function createCheckCommand(deps: CheckDeps = {}): CliCommand {
  const fs = deps.fs ?? syncReadFileSystem;
  const sink = deps.sink ?? nullSink;
  const git = deps.git ?? nodeGitRunner;
  return {
    words: ['check'],
    summary: 'Enforce policy: secrets, debug logging, branch and manifest rules (text, JSON or SARIF)',
    usage: USAGE,
    async run(args, io) {
      const { values, positionals } = parseCliArgs(args, {
        format: { type: 'string', default: 'text' },
        rules: { type: 'string' },
        'no-pack': { type: 'string', multiple: true },
        baseline: { type: 'string' },
        'update-baseline': { type: 'boolean' },
        'max-bytes': { type: 'string' },
      });
      const format = values.format as Format;
      if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not "${values.format}"`);
      const noPacks: PackName[] = [];
      for (const n of values['no-pack'] ?? []) {
        if (!isPackName(n)) throw new UsageError(`--no-pack takes security, logging or branch, not "${n}"`);
        noPacks.push(n);
      }
      let maxFileBytes: number | undefined;
      if (values['max-bytes'] !== undefined) {
        maxFileBytes = Number(values['max-bytes']);
        if (!Number.isInteger(maxFileBytes) || maxFileBytes <= 0) throw new UsageError('--max-bytes must be a positive integer');
      }

      const root = toPosix(io.cwd).replace(/\/+$/, '') || '/';
      const update = values['update-baseline'] === true;
      const loaded = await loadPolicyConfig(fs, root, {
        rulesFile: values.rules !== undefined ? toPosix(resolve(io.cwd, values.rules)) : undefined,
        baselineFile: values.baseline !== undefined ? toPosix(resolve(io.cwd, values.baseline)) : undefined,
        baselineOptional: update,
        disabledPacks: noPacks,
      });
      reportConfigProblems(loaded.problems, io);
      const { baselineFile, baseline: previous } = loaded;
      const config = { ...loaded.config, maxFileBytes, baseline: update ? undefined : loaded.config.baseline };

      let engine;
      try {
        engine = createPolicyEngine(config);
      } catch (e) {
        if (e instanceof PolicyConfigError) throw new CliError(e.message);
        throw e;
      }
      const paths = positionals.map((p) => toPosix(resolve(io.cwd, p)));
      let result: TreeResult;
      try {
        result = await engine.checkTree(fs, root, paths.length ? paths : undefined);
      } catch (e) {
        if (e instanceof MissingPathError) throw new CliError(e.message);
        throw e;
      }
      const branchInfo = noPacks.includes('branch') ? undefined : await gitBranchInfo(root, git);
      if (branchInfo) result = { ...result, findings: [...engine.checkBranch(branchInfo), ...result.findings] };

      if (update) {
        const baseline = createBaseline(result.findings, previous);
        await fs.writeText(baselineFile, serializeBaseline(baseline));
        io.err(`wrote ${baseline.findings.length} accepted findings to ${baselineFile.startsWith(`${root}/`) ? baselineFile.slice(root.length + 1) : baselineFile}\n`);
        return 0;
      }

      if (format === 'sarif') io.out(formatSarif(result, engine.rules));
      else if (format === 'json') io.out(formatJson(result, engine.rules));
      else io.out(formatText(result));

      const s = summarize(result);
      await sink.append({ type: 'policy', payload: { source: 'cli', files: s.files, findings: s.findings, byRule: s.byRule, bySeverity: s.bySeverity } });
      return hasErrors(result.findings) ? 1 : 0;
    },
  };
}

/**
 * A manifest or baseline that cannot be used at all is exit 2: CI must not pass because its rules went missing.
 * A manifest whose entries partly fail the schema still enforces the rest; the failures are listed on stderr.
 */
function reportConfigProblems(problems: readonly PolicyConfigProblem[], io: CliIO): void {
  const fatal = problems.find((p) => p.fatal);
  if (fatal) throw new CliError(`${fatal.source === 'manifest' && fatal.line !== undefined ? 'unusable rules file: ' : ''}${formatPolicyConfigProblem(fatal)}`);
  for (const p of problems) io.err(`warning: ${formatPolicyConfigProblem(p)}\n`);
  if (problems.length) io.err(`warning: rules_manifest entries with errors are not enforced; the others are (run "llmgenie rules lint")\n`);
}

export const commands: CliCommand[] = [createCheckCommand()];
