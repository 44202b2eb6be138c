// The user's own words in a task. The editor wraps them in a template ("Refactor this code from a.ts (lines 3–9).
// Keep its behaviour and public interface. Specifically: <instruction>"); the CLI and MCP may send the instruction
// alone. Both reduce to the same instruction here, so the three faces decide alike. The measures below are
// grammatical kinds of request (a why-question, a definition look-up, a mechanical edit, a reported symptom), each a
// short list of general English forms, not phrases collected from a dataset.

/** Strips the editor's template (src/core/router/editorTasks.ts) and returns what the user typed ('' if nothing). */
export function userInstruction(prompt: string, command: string | undefined): string {
  let p = prompt.trim();
  const about = /\n*\(About (?:this code from|this part of|the file) [^\n]*\.\)\s*$/;
  if (command === 'ask' || about.test(p)) p = p.replace(about, '').trim();
  if (/^Answer questions about (?:this code from|this part of|the file) /.test(p)) return '';
  const specifically = /^Refactor (?:this code from|this part of|the file) .*? Keep its behaviour and public interface\. Specifically: ([\s\S]*)$/.exec(p);
  if (specifically) return specifically[1]!.trim();
  const template =
    /^(?:Explain|Review|Write unit tests for|Refactor) (?:this code from \S.*? \(lines? [^)]*\)|this part of \S.*? \(lines [^)]*\)|the file \S.*?)\.(?: Keep its behaviour and public interface\.)?$/;
  if (template.test(p)) return '';
  if (/^Write a commit message for this staged change\.(?: The diff was cut to fit; the files it does not show changed too\.)?$/.test(p)) return '';
  return p;
}

export interface InstructionFeatures {
  /** Characters of the user's own instruction (0: a bare editor command). */
  length: number;
  /** Ends in or contains a question. */
  question: boolean;
  /** Asks for reasons or consequences: why, what happens if, is it safe / correct, can X ever... */
  reasoningQuestion: boolean;
  /** Asks what a named thing is or does, or how to do a routine thing. */
  lookupQuestion: boolean;
  /** Asks for an edit whose result is fully specified: rename, retype, reformat, document, extract a constant. */
  mechanicalEdit: boolean;
  /** Reports something observed going wrong: intermittent, growing, slow, duplicated, off by, stops. */
  symptom: boolean;
  /** Names a risk area in plain words: races, deadlocks, security, data loss, scale, downtime. */
  riskTerms: number;
  /** Quantities with units (200MB, 3s, 40 million rows): a report of behaviour at scale. */
  quantities: number;
  /** Asks for a design judgement: trade-offs, alternatives, an approach, whether one should do something. */
  designQuestion: boolean;
  /** Asks for one small self-contained artifact: a one-liner, a regex, a command, a short function or type. */
  smallArtifact: boolean;
}

const REASONING =
  /\b(?:why|how come|what happens\b.*\b(?:if|when|once)\b|what if|is (?:it|this|that) (?:safe|correct|sound|thread-safe|possible|ok|okay|guaranteed)|(?:can|could|will|would|does|do|might) (?:two|both|a|an|the|this|that|it|someone|anyone|an attacker|users?) .*\b(?:ever|both|twice|still|also|forge|bypass|see|return|lose|miss|deadlock|race|leak|overflow)\b|what(?:'s| is) wrong|where (?:is|does) .* (?:leak|go wrong|fail))/i;
// Definition and how-to look-ups, including "explain what X does" and "list the ...": the answer is reference text.
const LOOKUP =
  /^(?:what(?:'s| is| are| does| do)\b(?! happens| wrong| the (?:right|best|correct|safest|cleanest|proper) way)|how (?:do|can|should) i\b|how to\b|give me\b|show me\b|which (?:flag|option|command|key|setting)|is there (?:a|an)\b|(?:explain|tell me) what (?:a |an |the )?\S+(?: \S+){0,4} (?:does|is|means)\b|list (?:the|all)\b)/i;
const MECHANICAL =
  /^(?:please\s+)?(?:rename|make \S+ (?:readonly|private|public|optional|const|final|static)|extract (?:the )?\S+ (?:into|to) (?:a )?(?:constant|variable)|add (?:a |an )?(?:type hints?|types?|type annotations?|docstrings?|doc comments?|comments?|jsdoc|newline|trailing comma)|write a (?:docstring|doc comment|comment)|(?:sort|order) (?:the |these )?imports|format|reformat|indent|fix (?:the )?(?:typo|spelling|indentation|formatting)|convert (?:this|the|it) .* to (?:a |an )?(?:for loop|arrow function|list comprehension|template literal|f-string|switch|const)|use (?:a |an )?(?:template literals?|f-strings?|const|let|arrow functions?|early returns?|named exports?)\b|remove (?:the )?(?:unused|dead|commented)|inline (?:the )?\S+|replace \S+ with \S+|bump)/i;
const SYMPTOM =
  /\b(?:sometimes|occasionally|intermittent(?:ly)?|randomly|every (?:hour|day|night|few)|after (?:a few|some|upgrading|deploy\w*|restart\w*)|only (?:after|when|on|in)|never (?:comes|goes|returns|finishes)|grows?|growing|keeps? (?:growing|climbing)|stops?|hangs?|freezes?|slow(?:er)?|went from|doubled|tripled|twice|duplicated|duplicates|one day off|off by|fewer|missing|lost|wrong)\b/i;
// Design judgement: the answer weighs options rather than states a fact. General forms of English, not topics.
const DESIGN =
  /\b(?:trade-?offs?|pros and cons|alternatives?|approach(?:es)?|architect\w*|design(?:ed|ing)?|strategy|should (?:i|we|this|it)|would (?:you|it be better)|(?:better|best|right|proper|correct) way|better to|worth (?:it|\w+ing)|compare|versus|instead of|scal(?:e|able|ing)|plan (?:for|the|a))\b/i;
// A request for one small, self-contained artifact whose correctness is easy to see.
const SMALL_ARTIFACT =
  /^(?:please\s+)?(?:write|give me|generate|create|make|add|turn|convert|show me)\b(?:\s+\S+){0,8}?\s+(?:one-?liner|regex(?:p|es)?|regular expression|alias|command|shortcut|snippet|(?:\.\w+ )?entry|target|interface|type|enum|constant|example|function|helper|script|query)\b/i;
const RISK =
  /\b(?:race|races|racy|deadlock\w*|thread\w*|concurren\w*|atomic\w*|lock-free|mutex\w*|sound(?:ness)?|undefined behaviou?r|unsafe|forge\w*|inject\w*|attack\w*|secur\w*|vulnerab\w*|leak\w*|stale|consisten\w*|idempoten\w*|data loss|downtime|without (?:downtime|logging|losing|breaking)|live (?:table|traffic|system)|migrat\w*|scale|latency|memory|crash\w*|distributed|replica\w*|exactly once|at most once|at least once|(?:across|between|from) (?:multiple |several |many |two )?(?:tabs|processes|machines|nodes|instances|servers|workers|threads)|in parallel|simultaneous\w*|(?:multiple|several|many|\d+) (?:\w+ )?(?:processes|threads|workers|instances|replicas|nodes|servers|tabs|windows))\b/gi;
const QUANTITY = /\b\d[\d,.]*\s?(?:ms|s|sec|seconds|minutes|hours|days|mb|gb|kb|k|m|million|billion|thousand|rows|users|requests|rps|qps|pods|nodes|%|pm|am)\b/gi;

const countOf = (re: RegExp, s: string): number => (s.match(re) ?? []).length;

export function instructionFeatures(instruction: string): InstructionFeatures {
  const text = instruction.length > 4000 ? instruction.slice(0, 4000) : instruction;
  return {
    length: text.length,
    question: /\?/.test(text) || /^(?:why|what|how|when|where|which|is|are|does|do|can|could|should|will|would)\b/i.test(text),
    reasoningQuestion: REASONING.test(text),
    // "How do I make delivery exactly once when the receiver crashes?" opens like a look-up and is not one.
    lookupQuestion: LOOKUP.test(text.trim()) && !REASONING.test(text) && !DESIGN.test(text) && countOf(RISK, text) === 0,
    mechanicalEdit: MECHANICAL.test(text.trim()),
    symptom: SYMPTOM.test(text),
    riskTerms: countOf(RISK, text),
    quantities: countOf(QUANTITY, text),
    designQuestion: DESIGN.test(text),
    smallArtifact: text.length <= 160 && SMALL_ARTIFACT.test(text.trim()),
  };
}
