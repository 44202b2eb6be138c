// A model's reply turned into a git commit message: models wrap it in fences, label it ("Commit message:"),
// bold the subject or add a heading, none of which belongs in git. The result is checked before the editor writes
// it into the commit box, so a reply that cannot be made into a message is reported instead of pasted.

export interface CommitMessage {
  /** One line, at most SUBJECT_MAX characters, no trailing period. */
  readonly subject: string;
  /** Plain text paragraphs and `- ` lists; may be empty. */
  readonly body: string;
  /** subject, blank line, body: what goes into the commit box. */
  readonly text: string;
}

export type CommitMessageResult = { ok: true; message: CommitMessage } | { ok: false; reason: string };

export const SUBJECT_MAX = 72;

/** Fence languages under which a model puts the message itself (a ```diff or ```ts block is an example, not it). */
const MESSAGE_FENCES = new Set(['', 'text', 'txt', 'plaintext', 'plain', 'git', 'gitcommit', 'commit', 'markdown', 'md', 'bash', 'sh', 'shell', 'console']);
const FENCE = /^\s*(`{3,}|~{3,})\s*([\w+-]*)[^\n]*$/;
/** "Here is a commit message for these changes:", "**Suggested commit message:**", "Commit:" … */
const PREAMBLE = /^(?:here(?:'s| is)\b[^\n]*?\bcommit message\b[^\n]*|(?:suggested |proposed )?commit(?: message)?)\s*:?\s*$/i;
/** Labels a model puts before the parts ("Subject: …", "Body: …"). */
const SUBJECT_LABEL = /^(?:subject(?: line)?|title|summary|header)\s*:\s*/i;
const BODY_LABEL = /^(?:body|description|details)\s*:\s*/i;
const CONVENTIONAL = /^([a-z]+)(\([^()\n]*\))?(!)?\s*:\s*(.*)$/i;
const CONVENTIONAL_TYPES = new Set(['feat', 'fix', 'docs', 'style', 'refactor', 'perf', 'test', 'tests', 'build', 'ci', 'chore', 'revert']);

/** The commit message in `answer`, cleaned and checked; `ok: false` with one line saying why when there is none. */
export function commitMessageFromAnswer(answer: string): CommitMessageResult {
  const lines = messageLines(answer.replace(/\r\n?/g, '\n').replace(/[\u200b\ufeff]/g, ''));
  const plain = lines.map(plainLine);
  while (plain.length && !plain[0]!.trim()) plain.shift();
  while (plain.length && PREAMBLE.test(plain[0]!.trim())) {
    plain.shift();
    while (plain.length && !plain[0]!.trim()) plain.shift();
  }
  if (!plain.length) return { ok: false, reason: 'the model returned no commit message' };
  const [first, ...rest] = plain;
  const { subject, overflow } = fitSubject(settle(first!, (l) => conventional(plainLine(stripLabels(l.trim(), SUBJECT_LABEL)))));
  if (PREAMBLE.test(subject)) return { ok: false, reason: `the model returned only a label ("${subject.slice(0, 40)}"), no message` };
  // A body line that was only a label ("Body:") goes with its label, so cleaning a clean message changes nothing.
  for (;;) {
    while (rest.length && !rest[0]!.trim()) rest.shift();
    if (!rest.length) break;
    rest[0] = settle(rest[0]!, (l) => plainLine(stripLabels(l.trimStart(), BODY_LABEL)));
    if (rest[0].trim()) break;
  }
  const bodyLines = [...(overflow ? [overflow, ''] : []), ...rest];
  const body = bodyLines.join('\n').replace(/\n{3,}/g, '\n\n').trim();
  const text = body ? `${subject}\n\n${body}` : subject;
  const problem = checkCommitMessage(text);
  return problem ? { ok: false, reason: problem } : { ok: true, message: { subject, body, text } };
}

/**
 * The one check every message passes before it is written: a subject line, short enough, then a blank line, and
 * nothing left of the markdown the model wrapped it in. Undefined when the message is fine, else why not.
 */
export function checkCommitMessage(text: string): string | undefined {
  const lines = text.split('\n');
  const subject = lines[0] ?? '';
  if (!subject.trim()) return 'the commit message has no subject line';
  if (subject.length > SUBJECT_MAX) return `the subject line is ${subject.length} characters (at most ${SUBJECT_MAX})`;
  if (lines.length > 1 && lines[1] !== '') return 'the subject line is not followed by a blank line';
  if (/[`]{3}|~{3}/.test(text)) return 'the commit message still holds a markdown fence';
  const marked = lines.find((l) => /^\s*#{1,6}\s/.test(l) || /\*\*[^*\n]+\*\*/.test(l) || /^\s*(?:---+|\*\*\*+|___+)\s*$/.test(l));
  if (marked !== undefined) return `the commit message still holds markdown ("${marked.trim().slice(0, 40)}")`;
  if (lines.some((l) => l !== l.trimEnd())) return 'the commit message has trailing spaces';
  return undefined;
}

function stripLabels(line: string, label: RegExp): string {
  let l = line;
  while (label.test(l)) l = l.replace(label, '');
  return l;
}

/** The lines that hold the message: the first message-like fenced block if there is one, else all, fences dropped. */
function messageLines(text: string): string[] {
  const all = text.split('\n');
  for (let i = 0; i < all.length; i++) {
    const open = FENCE.exec(all[i]!);
    if (!open) continue;
    const close = all.findIndex((l, j) => j > i && new RegExp(`^\\s*${open[1]![0]}{${open[1]!.length},}\\s*$`).test(l));
    const inner = all.slice(i + 1, close < 0 ? undefined : close);
    if (MESSAGE_FENCES.has(open[2]!.toLowerCase()) && inner.some((l) => l.trim())) return inner;
    i = close < 0 ? all.length : close;
  }
  return all.filter((l) => !FENCE.test(l));
}

/** Stripping one mark can uncover another (`` `* x` ``, `Subject: **x**`), so strip until nothing changes. */
function settle(line: string, step: (l: string) => string): string {
  let l = line;
  for (let i = 0; i < 8; i++) {
    const next = step(l);
    if (next === l) break;
    l = next;
  }
  return l;
}

const plainLine = (line: string): string => settle(line, stripMarkdown);

/** Markdown a commit box would show literally: headings, emphasis, code spans, links, quotes, rules, `*` bullets. */
function stripMarkdown(line: string): string {
  let l = line.replace(/\t/g, '    ').trimEnd();
  if (/^\s*(?:---+|\*\*\*+|___+)\s*$/.test(l)) return '';
  l = l.replace(/^\s*>\s?/, '');
  l = l.replace(/^\s*#{1,6}\s+/, '').replace(/\s+#+\s*$/, '');
  l = l.replace(/^(\s*)[*+•]\s+/, '$1- ');
  l = l.replace(/\*\*([^*\n]+?)\*\*/g, '$1').replace(/__([^_\n]+?)__/g, '$1');
  l = l.replace(/(^|[\s(])\*([^*\s][^*\n]*?)\*(?=[\s).,:;!?]|$)/g, '$1$2');
  l = l.replace(/\*\*/g, '');
  l = l.replace(/`+([^`\n]*?)`+/g, '$1').replace(/`/g, "'");
  l = l.replace(/!?\[([^\]\n]*)\]\([^)\n]*\)/g, '$1');
  l = l.replace(/^\s*#{1,6}\s*$/, '');
  return l.trimEnd();
}

/** `Feat(Api) : add x.` → `feat(Api): add x`; a subject without a conventional type is left as it is. */
function conventional(subject: string): string {
  const s = subject.replace(/\s+/g, ' ').replace(/^["']+|["']+$/g, '').replace(/[.。]+$/, '').trim();
  const m = CONVENTIONAL.exec(s);
  if (!m || !CONVENTIONAL_TYPES.has(m[1]!.toLowerCase()) || !m[4]!.trim()) return s;
  return `${m[1]!.toLowerCase()}${m[2] ?? ''}${m[3] ?? ''}: ${m[4]!.trim()}`;
}

/** A subject over the limit ends at its first sentence if that fits, else at a word; the rest opens the body. */
function fitSubject(s: string): { subject: string; overflow?: string } {
  if (s.length <= SUBJECT_MAX) return { subject: s };
  const sentence = /^(.{10,}?)[.;]\s+(.+)$/.exec(s);
  if (sentence && sentence[1]!.length <= SUBJECT_MAX) return { subject: sentence[1]!.replace(/[.]+$/, ''), overflow: sentence[2]! };
  const cut = s.lastIndexOf(' ', SUBJECT_MAX);
  const at = cut > SUBJECT_MAX / 2 ? cut : SUBJECT_MAX;
  return { subject: s.slice(0, at).trimEnd().replace(/[,;:.]+$/, ''), overflow: s.slice(at).trim() };
}
