import { resolve } from 'node:path';
import { nodeFileSystem } from '../../core/platform/fileSystem';
import { loadRules, relativeTo, type RulesLintResult } from '../../core/rules/registry';
import { generateManifest, serializeManifest } from '../../core/rules/generateManifest';
import { parseCliArgs } from '../args';
import { CliError, type CliCommand, type CliIO } from '../command';

const toPosix = (p: string) => p.replace(/\\/g, '/');

export const rulesLint: CliCommand = {
  words: ['rules', 'lint'],
  summary: 'Check rule files and rules_manifest.json',
  usage: 'llmgenie rules lint [PATH...] [--json]\n  PATH: rule files or folders (searched for *.mdc); default: the workspace\'s .cursor/rules, .cursorrules and manifest',
  async run(args, io) {
    const { values, positionals } = parseCliArgs(args, { json: { type: 'boolean' } });
    const root = toPosix(io.cwd);
    const result = await loadRules(nodeFileSystem, root, positionals.map((p) => toPosix(resolve(io.cwd, p))));
    if (result.problems.some((p) => p.code === 'unreadable' && /no such file/.test(p.message)) && !result.rules.length) {
      throw new CliError(result.problems[0].message);
    }
    if (values.json) io.out(`${JSON.stringify(toJson(result))}\n`);
    else printText(result, io);
    return result.problems.some((p) => p.severity !== 'info') ? 1 : 0;
  },
};

export const rulesGenerate: CliCommand = {
  words: ['rules', 'manifest'],
  summary: 'Create or update rules_manifest.json from the rule files',
  usage: 'llmgenie rules manifest [--dry-run]',
  async run(args, io) {
    const { values } = parseCliArgs(args, { 'dry-run': { type: 'boolean' } });
    const root = toPosix(io.cwd);
    const result = await loadRules(nodeFileSystem, root);
    if (result.manifestFile && !result.manifest?.manifest) throw new CliError(`${relativeTo(root, result.manifestFile)} has errors; fix them first (llmgenie rules lint)`);
    const { manifest, added, removed } = generateManifest(result.rules, result.manifest?.manifest);
    const target = result.manifestFile ?? `${root}/rules_manifest.json`;
    if (values['dry-run']) io.out(serializeManifest(manifest));
    else await nodeFileSystem.writeText(target, serializeManifest(manifest));
    io.err(`${relativeTo(root, target)}: ${manifest.rules.length} rules, ${added.length} added, ${removed.length} removed\n`);
    return 0;
  },
};

export const commands: CliCommand[] = [rulesLint, rulesGenerate];


function toJson(r: RulesLintResult) {
  return {
    rules: r.rules.map((x) => ({ file: relativeTo(r.root, x.file), id: x.id, description: x.rule.description ?? null, globs: x.rule.globs, alwaysApply: x.rule.alwaysApply })),
    problems: r.problems.map((p) => ({ file: relativeTo(r.root, p.file), line: p.line + 1, message: p.message, severity: p.severity })),
  };
}

function printText(r: RulesLintResult, io: CliIO): void {
  for (const p of r.problems) io.out(`${relativeTo(r.root, p.file)}:${p.line + 1}:${p.column + 1}: ${p.severity}: ${p.message} [${p.code}]\n`);
  const errors = r.problems.filter((p) => p.severity === 'error').length;
  const warnings = r.problems.filter((p) => p.severity === 'warning').length;
  io.out(`${r.rules.length} rules, ${errors} errors, ${warnings} warnings\n`);
}
