// An answer's fenced code blocks. Kept apart from ./quality, which pulls in @babel/parser, so agent schemas and the
// activation bundle can read code blocks without the parser.
import { codeBlocks } from './markdown';

export interface CodeBlock {
  lang: string;
  code: string;
  /** 1-based index among the answer's blocks, for messages. */
  index: number;
}

/**
 * Code blocks as the answer view shows them (the one markdown tokenizer, so a block inside a quote or a nested list
 * is checked exactly when it gets Insert / Apply). A block still open at the end is reported by `fencesBalanced`.
 */
export function extractCodeBlocks(text: string): CodeBlock[] {
  return codeBlocks(text)
    .filter((b) => b.closed)
    .map((b, i) => ({ lang: b.lang.toLowerCase(), code: b.text, index: i + 1 }));
}

export function fencesBalanced(text: string): boolean {
  return codeBlocks(text).every((b) => b.closed);
}
