import { z } from 'zod';
import type { FileSystem } from '../platform/fileSystem';
import { HandoffConfigError } from './errors';

export const HANDOFF_CONFIG_PATH = '.llmgenie/handoff.json';

/** Points each gap costs. Rules that can fire many times are capped (see `caps`) so one sloppy list cannot zero a package. */
export interface HandoffWeights {
  missingPrompt: number;
  shortPrompt: number;
  unreviewedPrompt: number;
  tooFewFiles: number;
  missingFile: number;
  duplicateFile: number;
  tooFewQuestions: number;
  unansweredQuestion: number;
  missingContext: number;
  missingLessons: number;
  missingScope: number;
  missingDecisions: number;
  placeholder: number;
  missingMetadata: number;
}

export type HandoffCaps = Pick<HandoffWeights, 'missingFile' | 'duplicateFile' | 'unansweredQuestion' | 'placeholder' | 'missingMetadata'>;

export interface HandoffConfig {
  /** `passed` needs no errors and at least this score. */
  minScore: number;
  minFiles: number;
  minQuestions: number;
  /** A startup prompt shorter than this (characters, comments excluded) is "very short". */
  minPromptChars: number;
  /** Where `handoff create` puts packages, workspace-relative. */
  directory: string;
  weights: HandoffWeights;
  caps: HandoffCaps;
}

export const DEFAULT_HANDOFF_CONFIG: Readonly<HandoffConfig> = Object.freeze({
  minScore: 70,
  minFiles: 5,
  minQuestions: 3,
  minPromptChars: 150,
  directory: 'docs/handoff',
  weights: Object.freeze({
    missingPrompt: 25,
    shortPrompt: 5,
    unreviewedPrompt: 3,
    tooFewFiles: 20,
    missingFile: 5,
    duplicateFile: 2,
    tooFewQuestions: 20,
    unansweredQuestion: 3,
    missingContext: 8,
    missingLessons: 8,
    missingScope: 8,
    missingDecisions: 8,
    placeholder: 3,
    missingMetadata: 2,
  }),
  caps: Object.freeze({ missingFile: 30, duplicateFile: 6, unansweredQuestion: 9, placeholder: 9, missingMetadata: 8 }),
});

const points = z.number().min(0).max(100);
const weightsSchema = z.strictObject(
  Object.fromEntries(Object.keys(DEFAULT_HANDOFF_CONFIG.weights).map((k) => [k, points.optional()])) as Record<
    keyof HandoffWeights,
    z.ZodOptional<typeof points>
  >,
);
const capsSchema = z.strictObject(
  Object.fromEntries(Object.keys(DEFAULT_HANDOFF_CONFIG.caps).map((k) => [k, points.optional()])) as Record<
    keyof HandoffCaps,
    z.ZodOptional<typeof points>
  >,
);

/** What a config file or the editor settings may say; every key optional, unknown keys rejected (typos surface). */
export const handoffConfigSchema = z.strictObject({
  $schema: z.string().optional(),
  minScore: points.optional(),
  minFiles: z.number().int().min(0).max(1000).optional(),
  minQuestions: z.number().int().min(0).max(100).optional(),
  minPromptChars: z.number().int().min(0).max(100_000).optional(),
  directory: z
    .string()
    .min(1)
    .refine((d) => !d.startsWith('/') && !/^[A-Za-z]:/.test(d) && !d.split(/[\\/]/).includes('..'), 'must be workspace-relative')
    .optional(),
  weights: weightsSchema.optional(),
  caps: capsSchema.optional(),
});
export type HandoffConfigInput = z.input<typeof handoffConfigSchema>;

function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue.path.length ? issue.path.join('.') : '(root)';
  return `${where}: ${issue.message}`;
}

/** Defaults overlaid with `input`; throws HandoffConfigError naming the first bad key. */
export function resolveHandoffConfig(input: unknown = {}, source = 'handoff config'): HandoffConfig {
  const parsed = handoffConfigSchema.safeParse(input ?? {});
  if (!parsed.success) throw new HandoffConfigError(`${source}: ${describe(parsed.error)}`);
  const c = parsed.data;
  const d = DEFAULT_HANDOFF_CONFIG;
  const defined = <T extends object>(o: T | undefined): Partial<T> =>
    Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
  return {
    minScore: c.minScore ?? d.minScore,
    minFiles: c.minFiles ?? d.minFiles,
    minQuestions: c.minQuestions ?? d.minQuestions,
    minPromptChars: c.minPromptChars ?? d.minPromptChars,
    directory: (c.directory ?? d.directory).replace(/\\/g, '/').replace(/\/+$/, ''),
    weights: { ...d.weights, ...defined(c.weights) },
    caps: { ...d.caps, ...defined(c.caps) },
  };
}

/**
 * Defaults, overlaid by `<root>/.llmgenie/handoff.json` if present, overlaid by `overrides` (the editor's
 * `llmgenie.handoff.*` settings). Weights and caps merge key by key.
 */
export async function loadHandoffConfig(fs: FileSystem, root: string, overrides: unknown = {}): Promise<HandoffConfig> {
  const path = `${root.replace(/\/+$/, '')}/${HANDOFF_CONFIG_PATH}`;
  const stat = await fs.stat(path);
  let file: HandoffConfigInput = {};
  if (stat?.kind === 'file') {
    let data: unknown;
    try {
      data = JSON.parse(await fs.readText(path));
    } catch (e) {
      throw new HandoffConfigError(`${HANDOFF_CONFIG_PATH}: not valid JSON (${(e as Error).message})`);
    }
    const parsed = handoffConfigSchema.safeParse(data);
    if (!parsed.success) throw new HandoffConfigError(`${HANDOFF_CONFIG_PATH}: ${describe(parsed.error)}`);
    file = parsed.data;
  }
  const over = handoffConfigSchema.safeParse(overrides ?? {});
  if (!over.success) throw new HandoffConfigError(`settings: ${describe(over.error)}`);
  const o = over.data;
  return resolveHandoffConfig({
    ...file,
    ...o,
    weights: { ...file.weights, ...o.weights },
    caps: { ...file.caps, ...o.caps },
  });
}
