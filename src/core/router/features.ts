// The router's view of a whole editor task: the command, the user's own instruction, and the code (or diff) it is
// about. Each feature is one readable measure from codeFeatures.ts, diffFeatures.ts or taskFeatures.ts, scaled to
// [0, 1]; the model's weights are keyed by name, and each has labels in the user's terms so a decision can say why.
import { codeFeatures, type CodeFeatures } from './codeFeatures';
import { diffFeatures, looksLikeDiff, type DiffFeatures } from './diffFeatures';
import { languageOfFile, normaliseLanguage } from './quality';
import { instructionFeatures, userInstruction, type InstructionFeatures } from './taskFeatures';

/** A task as the editor builds it (editorTasks.ts), and as `llmgenie route` and MCP `route_task` read it. */
export interface RoutingTask {
  /** The editor's prompt (template plus the user's instruction) or the instruction alone; may be empty. */
  prompt: string;
  context?: string | null;
  /** Editor command that produced the task: 'explain' | 'refactor' | 'tests' | 'review' | 'commit' | 'ask'; absent for free-form. */
  command?: string | null;
  /** VS Code language id of the file ('rust', 'typescript', 'diff'...). */
  language?: string | null;
  fileName?: string | null;
}

export interface FeatureSpec {
  readonly name: string;
  /** Reason shown when the feature's value is high and pushes the decision. */
  readonly label: string;
  /** Reason for a continuous feature whose value is below the training mean (e.g. "short code"). */
  readonly lowLabel?: string;
  /** A trait of the code or the request (worth naming in the one-line summary), not the command. */
  readonly trait?: boolean;
}

/** Everything measured about a task; the vector and the summary are both built from it. */
export interface TaskMeasures {
  command: string;
  instruction: string;
  language?: string;
  instructionFeatures: InstructionFeatures;
  code?: CodeFeatures;
  diff?: DiffFeatures;
}

const COMMANDS = ['explain', 'refactor', 'tests', 'review', 'commit', 'ask'] as const;
const SYSTEMS = new Set(['c', 'cpp', 'rust', 'zig', 'objective-c', 'objective-cpp', 'cuda']);
const MANAGED = new Set(['java', 'csharp', 'kotlin', 'go', 'scala', 'swift', 'dart', 'fsharp']);
const SHELL_DATA = new Set(['shellscript', 'sql', 'yaml', 'json', 'jsonc', 'toml', 'markdown', 'html', 'css', 'scss', 'xml', 'dockerfile', 'plaintext', 'ini', 'properties']);

const log = (x: number, max: number): number => Math.min(1, Math.log1p(Math.max(0, x)) / Math.log1p(max));
const flag = (b: boolean): number => (b ? 1 : 0);
// Risky constructs saturate early: one `unsafe.Pointer` or one mutex already changes what an answer must get right,
// so the scale tops out at a handful of uses rather than growing with the file.
const RISK_SCALE = 8;

interface Feature extends FeatureSpec {
  readonly value: (m: TaskMeasures) => number;
}

// A mechanical edit (rename, add types, reformat) is fully specified by the request: how hard the code is does not
// change what a right answer needs, so the code's measures do not count for it (its size still shows in the summary).
const code = (m: TaskMeasures): CodeFeatures | undefined => (m.instructionFeatures.mechanicalEdit ? undefined : m.code);
const F: readonly Feature[] = [
  ...COMMANDS.map((c) => ({ name: `cmd${c[0]!.toUpperCase()}${c.slice(1)}`, label: `command: ${c}`, value: (m: TaskMeasures) => flag(m.command === c) })),
  { name: 'hasInstruction', label: 'a request in your own words', lowLabel: 'no instruction beyond the command', value: (m) => flag(m.instruction !== '') },
  { name: 'instructionLength', label: 'a long request', lowLabel: 'a short request', value: (m) => log(m.instructionFeatures.length, 2000) },
  { name: 'question', label: 'asks a question', value: (m) => flag(m.instructionFeatures.question) },
  { name: 'reasoningQuestion', label: 'asks why / what if', trait: true, value: (m) => flag(m.instructionFeatures.reasoningQuestion) },
  { name: 'lookupQuestion', label: 'a look-up question', trait: true, value: (m) => flag(m.instructionFeatures.lookupQuestion) },
  { name: 'mechanicalEdit', label: 'a mechanical edit', trait: true, value: (m) => flag(m.instructionFeatures.mechanicalEdit) },
  { name: 'symptom', label: 'reports a symptom', trait: true, value: (m) => flag(m.instructionFeatures.symptom) },
  { name: 'riskTerms', label: 'names a risk (races, security, scale)', trait: true, value: (m) => log(m.instructionFeatures.riskTerms, 3) },
  { name: 'quantities', label: 'behaviour at scale', trait: true, value: (m) => log(m.instructionFeatures.quantities, 4) },
  { name: 'designQuestion', label: 'asks for a design judgement', trait: true, value: (m) => flag(m.instructionFeatures.designQuestion) },
  { name: 'smallArtifact', label: 'a small self-contained snippet', trait: true, value: (m) => flag(m.instructionFeatures.smallArtifact) },
  { name: 'hasCode', label: 'code attached', lowLabel: 'no code attached', value: (m) => flag((!!m.code && m.code.lines > 0) || (!!m.diff && m.diff.changedLines > 0)) },
  { name: 'codeLines', label: 'long code', lowLabel: 'short code', trait: true, value: (m) => log(code(m)?.lines ?? 0, 3000) },
  { name: 'functions', label: 'many functions', lowLabel: 'few functions', trait: true, value: (m) => log(code(m)?.functions ?? 0, 100) },
  {
    name: 'linesPerFunction',
    label: 'long functions',
    lowLabel: 'small functions',
    trait: true,
    value: (m) => { const c = code(m); return c && c.functions ? log(c.lines / c.functions, 200) : 0; },
  },
  { name: 'maxNesting', label: 'deep nesting', lowLabel: 'flat code', trait: true, value: (m) => Math.min(code(m)?.maxNesting ?? 0, 10) / 10 },
  {
    name: 'branchesPerFunction',
    label: 'branchy logic',
    lowLabel: 'straight-line code',
    trait: true,
    value: (m) => { const c = code(m); return c ? log(c.branches / Math.max(1, c.functions), 30) : 0; },
  },
  { name: 'concurrency', label: 'locks, threads or channels', trait: true, value: (m) => log(code(m)?.concurrency ?? 0, RISK_SCALE) },
  { name: 'memoryOrdering', label: 'atomics and memory ordering', trait: true, value: (m) => log(code(m)?.memoryOrdering ?? 0, RISK_SCALE) },
  { name: 'unsafeMemory', label: 'unsafe pointer code', trait: true, value: (m) => log(code(m)?.unsafeMemory ?? 0, RISK_SCALE) },
  { name: 'securityApi', label: 'auth / crypto code', trait: true, value: (m) => log(code(m)?.securityApi ?? 0, RISK_SCALE) },
  { name: 'injectionSinks', label: 'SQL or shell built from strings', trait: true, value: (m) => log(code(m)?.injectionSinks ?? 0, 10) },
  { name: 'asyncFlow', label: 'async control flow', trait: true, value: (m) => log(code(m)?.asyncFlow ?? 0, RISK_SCALE) },
  { name: 'generics', label: 'generic / type-level code', trait: true, value: (m) => log(code(m)?.generics ?? 0, RISK_SCALE) },
  { name: 'failureHandling', label: 'retries and failure handling', trait: true, value: (m) => log(code(m)?.failureHandling ?? 0, RISK_SCALE) },
  { name: 'schemaChange', label: 'schema / data migration', trait: true, value: (m) => log(code(m)?.schemaChange ?? 0, 10) },
  { name: 'bitArithmetic', label: 'bit and pointer arithmetic', trait: true, value: (m) => log(code(m)?.bitArithmetic ?? 0, RISK_SCALE) },
  { name: 'timeAndMoney', label: 'dates, time zones or money rounding', trait: true, value: (m) => log(code(m)?.timeAndMoney ?? 0, 20) },
  { name: 'imports', label: 'many imports', trait: true, value: (m) => log(code(m)?.imports ?? 0, 40) },
  {
    name: 'dataShare',
    label: 'mostly data / config',
    trait: true,
    value: (m) => { const c = code(m); return c && c.lines ? c.dataLines / c.lines : 0; },
  },
  { name: 'identifiers', label: 'many names in play', lowLabel: 'few names in play', value: (m) => log(code(m)?.identifiers ?? 0, 1500) },
  { name: 'isDiff', label: 'a diff', value: (m) => flag(!!m.diff) },
  { name: 'diffFiles', label: 'many files changed', lowLabel: 'one file changed', trait: true, value: (m) => (m.diff ? Math.min(m.diff.files, 12) / 12 : 0) },
  { name: 'diffHunks', label: 'many hunks', trait: true, value: (m) => log(m.diff?.hunks ?? 0, 60) },
  {
    name: 'diffBehaviour',
    label: 'behaviour changes',
    lowLabel: 'names / layout only',
    trait: true,
    value: (m) => m.diff?.behaviourShare ?? 0,
  },
  { name: 'diffNonCode', label: 'docs / config files', trait: true, value: (m) => m.diff?.nonCodeFileShare ?? 0 },
  { name: 'diffTests', label: 'tests only', trait: true, value: (m) => m.diff?.testFileShare ?? 0 },
  { name: 'diffComments', label: 'comments only', trait: true, value: (m) => m.diff?.commentShare ?? 0 },
  { name: 'langSystems', label: 'a systems language', value: (m) => flag(SYSTEMS.has(m.language ?? '')) },
  { name: 'langManaged', label: 'a compiled managed language', value: (m) => flag(MANAGED.has(m.language ?? '')) },
  { name: 'langShellData', label: 'shell, SQL or data files', value: (m) => flag(SHELL_DATA.has(m.language ?? '')) },
];

/** Exported in order: the model's weight vector follows this order by name. */
export const FEATURE_SPECS: readonly FeatureSpec[] = F.map(({ name, label, lowLabel, trait }) => ({ name, label, ...(lowLabel ? { lowLabel } : {}), ...(trait ? { trait } : {}) }));
export const FEATURE_NAMES: readonly string[] = F.map((f) => f.name);

const asText = (v: unknown): string => (typeof v === 'string' ? v : '');

function normaliseCommand(command: string): string {
  const c = command.trim().toLowerCase();
  return c === 'test' ? 'tests' : c;
}

/** The language a task's code is in: the given id, else the file's extension, else a diff's first code file. */
function taskLanguage(task: RoutingTask, diff: DiffFeatures | undefined, context: string): string | undefined {
  const given = normaliseLanguage(asText(task.language).trim() || undefined);
  if (given && given !== 'diff' && given !== 'plaintext') return given;
  const fromFile = languageOfFile(asText(task.fileName));
  if (fromFile && fromFile !== 'diff') return fromFile;
  if (diff) {
    for (const m of context.matchAll(/^\+\+\+ b\/(\S+)/gm)) {
      const l = languageOfFile(m[1]!);
      if (l && !SHELL_DATA.has(l)) return l;
    }
    return undefined;
  }
  return given;
}

export function measureTask(task: RoutingTask): TaskMeasures {
  const command = normaliseCommand(asText(task?.command));
  const instruction = userInstruction(asText(task?.prompt), command || undefined);
  const context = asText(task?.context);
  const isDiff = context !== '' && (asText(task?.language) === 'diff' || command === 'commit' || looksLikeDiff(context.slice(0, 4000)));
  const diff = isDiff ? diffFeatures(context) : undefined;
  const language = taskLanguage(task ?? { prompt: '' }, diff, context);
  // Free-form prompts often paste the code into the prompt itself; it is measured as code there too.
  // A diff's code is measured on the lines whose behaviour changes: a rename of a lock-heavy file is a rename.
  const codeText = diff ? diff.behaviourText : context || (instruction.includes('\n') ? instruction : '');
  return {
    command,
    instruction,
    ...(language ? { language } : {}),
    instructionFeatures: instructionFeatures(instruction),
    ...(codeText.trim() ? { code: codeFeatures(codeText, language) } : {}),
    ...(diff ? { diff } : {}),
  };
}

/** Feature vector in FEATURE_SPECS order; every value is in [0, 1]. */
export function featureVector(m: TaskMeasures): number[] {
  return F.map((f) => f.value(m));
}

export function extractFeatures(task: RoutingTask): number[] {
  return featureVector(measureTask(task));
}
