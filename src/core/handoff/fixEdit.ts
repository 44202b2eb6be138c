import { applyFix } from './fixes';
import type { HandoffFix } from './fixes';

/** Replace `text.slice(start, end)` (UTF-16 offsets, as editors count them) with `text`. */
export interface TextReplacement {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/**
 * The smallest whole-line replacement turning `before` into `after`. Editors apply it as one edit, so undo
 * restores exactly the lines a fix touched and the cursor elsewhere does not jump; snapping to line starts
 * keeps a `\r\n` or a surrogate pair from being split.
 */
export function minimalReplacement(before: string, after: string): TextReplacement | undefined {
  if (before === after) return undefined;
  const max = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < max && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  // Both texts share the prefix and the suffix, so these walks see the same characters in either. The prefix
  // snaps first, so an insertion that starts like the line after it ("## Scope" before "## Control") stays pure.
  while (prefix > 0 && before[prefix - 1] !== '\n') prefix--;
  let suffix = 0;
  while (suffix < max - prefix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  while (suffix > 0 && before[before.length - suffix - 1] !== '\n') suffix--;
  return { start: prefix, end: before.length - suffix, text: after.slice(prefix, after.length - suffix) };
}

/** The gap's fix as one replacement on `text`; undefined when it has no fix or no longer fits the text. */
export function fixReplacement(text: string, gap: { readonly fix?: HandoffFix }): TextReplacement | undefined {
  return minimalReplacement(text, applyFix(text, gap));
}

/** What a button or a lightbulb entry says the fix does. */
export function fixLabel(fix: HandoffFix): string {
  if (fix.kind === 'remove-file') return `Remove ${fix.path} from the list`;
  return fix.template.trimStart().startsWith('#') ? `Add the “${fix.heading}” section` : `Fill in “${fix.heading}” from a template`;
}
