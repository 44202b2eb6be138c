// Structure of JS/TS code from a real parse (@babel/parser, already bundled for the answer checks): functions,
// decision points and nesting depth counted on the AST instead of guessed from lines. Selections are often
// fragments, so the parser recovers from errors; when even that fails the caller falls back to lexical measures.
import { parse, type ParserPlugin } from '@babel/parser';

export interface CodeStructure {
  functions: number;
  branches: number;
  maxNesting: number;
}

const PLUGINS: Record<string, ParserPlugin[]> = {
  typescript: ['typescript'],
  typescriptreact: ['typescript', 'jsx'],
  javascript: ['jsx'],
  javascriptreact: ['jsx'],
};

const FUNCTION_NODES = new Set([
  'FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression', 'ObjectMethod', 'ClassMethod', 'ClassPrivateMethod', 'TSDeclareMethod',
]);
const BRANCH_NODES = new Set([
  'IfStatement', 'ConditionalExpression', 'SwitchCase', 'ForStatement', 'ForInStatement', 'ForOfStatement', 'WhileStatement',
  'DoWhileStatement', 'CatchClause', 'TSConditionalType',
]);
const BLOCK_NODES = new Set(['BlockStatement', 'ClassBody', 'ObjectExpression', 'TSTypeLiteral', 'TSMappedType', 'SwitchStatement']);
// A 20 K-character parse stays near a millisecond; larger inputs are measured lexically on their head instead.
const MAX_PARSE = 20_000;

type Node = { type: string; operator?: string; [key: string]: unknown };

export function jsStructure(code: string, language: string): CodeStructure | undefined {
  const plugins = PLUGINS[language];
  if (!plugins || code.length > MAX_PARSE) return undefined;
  let ast: Node;
  try {
    ast = parse(code, {
      sourceType: 'unambiguous',
      plugins,
      errorRecovery: true,
      allowReturnOutsideFunction: true,
      allowAwaitOutsideFunction: true,
      allowImportExportEverywhere: true,
      allowUndeclaredExports: true,
    }) as unknown as Node;
  } catch {
    return undefined;
  }
  const out: CodeStructure = { functions: 0, branches: 0, maxNesting: 0 };
  // Iterative walk with an explicit stack: deeply nested input must not overflow the call stack.
  const stack: [Node, number][] = [[ast, 0]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    if (FUNCTION_NODES.has(node.type)) out.functions++;
    if (BRANCH_NODES.has(node.type)) out.branches++;
    if (node.type === 'LogicalExpression') out.branches++;
    const d = BLOCK_NODES.has(node.type) ? depth + 1 : depth;
    if (d > out.maxNesting) out.maxNesting = d;
    for (const key in node) {
      if (key === 'loc' || key === 'start' || key === 'end' || key === 'extra' || key === 'comments' || key.endsWith('Comments')) continue;
      const v = node[key];
      if (Array.isArray(v)) {
        for (const c of v) if (c && typeof c === 'object' && typeof (c as Node).type === 'string') stack.push([c as Node, d]);
      } else if (v && typeof v === 'object' && typeof (v as Node).type === 'string') stack.push([v as Node, d]);
    }
  }
  // The Program's own body is not a nesting level a reader feels; a top-level function body is depth 1.
  return out;
}
