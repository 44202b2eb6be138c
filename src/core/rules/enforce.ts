import { z } from 'zod';

/**
 * The machine-checkable half of a rule: the same rule file instructs the agent and drives the linter.
 * Declared in a manifest entry's `enforce` block, or in an `.mdc` front matter's `enforce` key.
 */
export const severitySchema = z.enum(['error', 'warning', 'info', 'hint']);
export type Severity = z.infer<typeof severitySchema>;

export const patternCheckSchema = z
  .object({
    /** JavaScript regular expression source, matched per line. */
    regex: z.string().min(1),
    flags: z.string().regex(/^[imsuy]*$/, 'flags may only use i, m, s, u, y').optional(),
    message: z.string().optional(),
  })
  .strict();

export const enforceSchema = z
  .object({
    /** A built-in pack this rule switches on and configures. */
    pack: z.enum(['security', 'logging', 'branch']).optional(),
    /** Files the check applies to; defaults to the rule's globs. */
    globs: z.array(z.string()).optional(),
    exclude: z.array(z.string()).optional(),
    patterns: z.array(patternCheckSchema).optional(),
    /** Module specifiers that may not be imported/required (exact or glob, e.g. "lodash", "node:*"). */
    forbiddenImports: z.array(z.string()).optional(),
    message: z.string().optional(),
    /** Pack options, e.g. branch: {protected: [...], pattern: "..."}; logging: {replacement: "logger.info"}. */
    options: z.record(z.string(), z.unknown()).optional(),
    enabled: z.boolean().optional(),
  })
  .strict();

export type EnforceBlock = z.infer<typeof enforceSchema>;
