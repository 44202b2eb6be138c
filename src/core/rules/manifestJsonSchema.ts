import { z } from 'zod';
import { manifestSchema } from './manifest';

/** JSON Schema of rules_manifest.json for editor completion (contributed through `jsonValidation`). */
export function manifestJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(manifestSchema, { io: 'input', unrepresentable: 'any' }),
    title: 'llmgenie rules manifest',
    description: 'The registry of atomic rules: each entry points at a .cursor/rules/*.mdc file and may declare an enforce block.',
  };
}
