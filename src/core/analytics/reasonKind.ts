// Escalation reasons are the router's own sentences ("answer too short for explain (41 characters, expected at
// least 120); no code block in a refactor answer"), different for every task, so counted raw nothing groups. The
// dashboard counts them by kind instead; the sentences stay as examples.

const KINDS: ReadonlyArray<readonly [RegExp, string]> = [
  [/^local model unavailable/i, 'local model unavailable'],
  [/too short|answer thin/i, 'answer too short'],
  [/refused/i, 'the model refused'],
  [/truncated|output token limit/i, 'answer truncated'],
  [/code fences|no code block|does not say its language/i, 'code block missing or broken'],
  [/not valid|does not parse|syntax error|parse error/i, 'code does not parse'],
  [/^code is in .* but the file is/i, 'code in the wrong language'],
  [/sounds unsure/i, 'the model sounded unsure'],
  [/assert nothing/i, 'tests assert nothing'],
  [/names nothing from the code/i, 'answer off the code'],
  [/tool loop did not finish/i, 'tool loop did not finish'],
];

/** The kinds one task's escalation reason holds (a reason may join several checks with "; "), each once. */
export function reasonKinds(reason: string): string[] {
  const kinds = new Set<string>();
  for (const part of reason.split(/;\s+/)) {
    const p = part.trim();
    if (!p) continue;
    // A reason of no known kind (an older log's label, say) is its own kind.
    kinds.add(KINDS.find(([re]) => re.test(p))?.[1] ?? p);
  }
  return kinds.size ? [...kinds] : ['unspecified'];
}
