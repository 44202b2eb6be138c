import { posix } from 'node:path';
import { z } from 'zod';
import type { Clock } from '../platform/clock';
import type { FileSystem } from '../platform/fileSystem';
import { confineWorkspacePath } from '../platform/workspacePath';
import { redactSecrets } from '../policy/redact';
import { relativeToRoot } from './layout';
import { isLocatingSink } from './sink';
import type { EventLocation, SessionEventSink } from './sink';

export const DEFAULT_DECISION_LOG = 'docs/decision-log.md';

const HEADER = `# Decision log

Decisions about this project, oldest first: date, context, decision, consequences and the session they came
from. Written by people and by llmgenie ("llmgenie: Record Decision", \`llmgenie decision record\`); edit freely.
`;

export interface SessionRef {
  /** Session file, workspace-relative or absolute. */
  path: string;
  eventId?: string;
}

export interface DecisionInput {
  title: string;
  context: string;
  decision: string;
  consequences?: string;
  sessionRef?: SessionRef;
}

export interface DecisionEntry {
  title: string;
  /** As written in the entry: `YYYY-MM-DD` or a longer date-time. */
  date?: string;
  context: string;
  decision: string;
  consequences?: string;
  /** Session link, workspace-relative. */
  sessionRef?: SessionRef;
  /** 1-based line of the entry's `##` heading. */
  line: number;
}

export interface DecisionLogOptions {
  root: string;
  /** Relative to root or absolute; default `docs/decision-log.md`. */
  path?: string;
  /** When given, a `decision` event is appended and, without an explicit sessionRef, the entry links to it. */
  sink?: SessionEventSink;
}

export class DecisionInputError extends Error {}

const inputSchema = z.object({
  title: z.string().trim().min(1, 'title is empty').max(300),
  context: z.string(),
  decision: z.string().trim().min(1, 'decision is empty'),
  consequences: z.string().optional(),
  sessionRef: z.object({ path: z.string().min(1), eventId: z.string().optional() }).optional(),
});

export const DECISION_LOG_SETTING = 'llmgenie.decisionLog.path';

/**
 * The decision log every face reads and appends to: a regular file inside the workspace by real path, or
 * WorkspaceSettingError naming the setting. An agent's record_decision must not append to ~/.bashrc because a
 * cloned repository's settings (or a symlink in it) say so.
 */
export function resolveDecisionLog(fs: FileSystem, root: string, path = DEFAULT_DECISION_LOG): Promise<string> {
  return confineWorkspacePath(fs, root, path, { setting: DECISION_LOG_SETTING, expect: 'file' });
}

/** Lexical only, for display; reads and writes go through resolveDecisionLog. */
export function decisionLogPath(root: string, path = DEFAULT_DECISION_LOG): string {
  const p = path.replace(/\\/g, '/');
  return p.startsWith('/') || /^[A-Za-z]:\//.test(p) ? p : `${root.replace(/\/+$/, '')}/${p.replace(/^\.\//, '')}`;
}

/**
 * Appends one entry (secrets masked) in a single O_APPEND write, so concurrent recorders never lose or tear an
 * entry; creates the file with a header when (and only when) it does not exist. A failing sink does not stop the
 * entry being written: its message is returned as `sinkError`.
 */
export async function recordDecision(
  fs: FileSystem,
  clock: Clock,
  opts: DecisionLogOptions,
  input: DecisionInput,
): Promise<{ entry: DecisionEntry; path: string; sinkError?: string }> {
  const parsed = inputSchema.safeParse(input);
  if (!parsed.success) throw new DecisionInputError(parsed.error.issues[0]?.message ?? 'invalid decision');
  const mask = (s: string) => redactSecrets(s).text;
  const title = mask(parsed.data.title).replace(/\s+/g, ' ');
  const decision = mask(parsed.data.decision.trim());
  const context = mask(parsed.data.context.trim());
  const consequences = parsed.data.consequences?.trim() ? mask(parsed.data.consequences.trim()) : undefined;
  const file = await resolveDecisionLog(fs, opts.root, opts.path);
  const relFile = relativeToRoot(opts.root, file);

  let sessionRef = parsed.data.sessionRef && { ...parsed.data.sessionRef, path: relativeToRoot(opts.root, parsed.data.sessionRef.path) };
  let sinkError: string | undefined;
  if (opts.sink) {
    const event = { type: 'decision' as const, payload: { title, decision, file: relFile } };
    try {
      let loc: EventLocation | undefined;
      if (isLocatingSink(opts.sink)) loc = await opts.sink.appendLocated(event);
      else await opts.sink.append(event);
      if (!sessionRef && loc) sessionRef = { path: loc.file, eventId: loc.eventId };
    } catch (e) {
      sinkError = (e as Error).message;
    }
  }

  const now = clock.now().toISOString();
  const date = now.slice(0, 10);
  const lines = [`## ${date} — ${title}`, '', `- Date: ${now.slice(0, 16).replace('T', ' ')} UTC`];
  if (sessionRef) {
    const href = posix.relative(posix.dirname(relFile), sessionRef.path) + (sessionRef.eventId ? `#${sessionRef.eventId}` : '');
    const name = sessionRef.path.split('/').pop()!.replace(/\.jsonl$/, '');
    lines.push(`- Session: [${name}${sessionRef.eventId ? `, event ${sessionRef.eventId}` : ''}](${href})`);
  }
  lines.push('', '### Context', '', escapeBody(context) || '_(none given)_', '', '### Decision', '', escapeBody(decision));
  if (consequences) lines.push('', '### Consequences', '', escapeBody(consequences));
  const entryLine = await appendEntry(fs, file, relFile, `${lines.join('\n')}\n`);
  const entry: DecisionEntry = {
    title,
    date: now.slice(0, 16).replace('T', ' ') + ' UTC',
    context,
    decision,
    ...(consequences ? { consequences } : {}),
    ...(sessionRef ? { sessionRef } : {}),
    line: entryLine,
  };
  return { entry, path: file, ...(sinkError ? { sinkError } : {}) };
}

export class DecisionLogError extends Error {}

// Recorders in one process queue per file, so only one of them can find the log missing and write the header.
const queues = new WeakMap<FileSystem, Map<string, Promise<unknown>>>();

function serialised<T>(fs: FileSystem, file: string, task: () => Promise<T>): Promise<T> {
  let byFile = queues.get(fs);
  if (!byFile) queues.set(fs, (byFile = new Map()));
  const run = (byFile.get(file) ?? Promise.resolve()).then(task, task);
  const tail = run.catch(() => undefined);
  byFile.set(file, tail);
  void tail.then(() => {
    if (byFile.get(file) === tail) byFile.delete(file);
  });
  return run;
}

/**
 * Appends `block` (header first when the log does not exist) and returns the 1-based line its heading landed on,
 * computed from the text read just before: exact unless another process appends in between.
 */
function appendEntry(fs: FileSystem, file: string, relFile: string, block: string): Promise<number> {
  return serialised(fs, file, async () => {
    let existing: string;
    try {
      existing = await fs.readText(file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException)?.code !== 'ENOENT') {
        throw new DecisionLogError(`cannot read the decision log ${relFile}: ${(e as Error)?.message ?? String(e)}`);
      }
      // Other processes may find it missing at the same moment: one exclusive create writes the header, once.
      await fs.createText(file, HEADER).catch((err: unknown) => {
        throw new DecisionLogError(`cannot create the decision log ${relFile}: ${(err as Error)?.message ?? String(err)}`);
      });
      existing = await fs.readText(file).catch(() => HEADER);
    }
    const prefix = existing === '' ? HEADER : '';
    const before = existing + prefix;
    const sep = before.endsWith('\n\n') ? '' : before.endsWith('\n') ? '\n' : '\n\n';
    await fs.appendText(file, `${prefix}${sep}${block}`);
    return `${before}${sep}`.split('\n').length;
  });
}

/** A user's "## x" line inside a section would start a new entry on re-read: escape it like markdown does. */
function escapeBody(text: string): string {
  const escaped = text.replace(/^(\s{0,3})(#{1,6}\s)/gm, '$1\\$2');
  // A section that opens a code fence and never closes it would run into the next section: close it here.
  const fences = escaped.split('\n').filter((l) => /^\s{0,3}(```|~~~)/.test(l));
  return fences.length % 2 ? `${escaped}\n${/^\s{0,3}~~~/.test(fences[fences.length - 1]) ? '~~~' : '```'}` : escaped;
}

function unescapeBody(text: string): string {
  return text.replace(/^(\s{0,3})\\(#{1,6}\s)/gm, '$1$2');
}

/** Every decision in the log. A missing file is no decisions; hand edits are tolerated (see parseDecisionLog). */
export async function readDecisions(fs: FileSystem, opts: { root: string; path?: string }): Promise<DecisionEntry[]> {
  const file = await resolveDecisionLog(fs, opts.root, opts.path);
  let text: string;
  try {
    text = await fs.readText(file);
  } catch {
    return [];
  }
  return parseDecisionLog(text, posix.dirname(relativeToRoot(opts.root, file)), opts.root);
}

/** The heading of an entry as recordDecision writes it starts with its date. */
const ENTRY_DATE = /^\d{4}-\d{2}-\d{2}\b/;

const SECTION_NAMES: Record<string, 'context' | 'decision' | 'consequences'> = {
  context: 'context',
  background: 'context',
  problem: 'context',
  decision: 'decision',
  outcome: 'decision',
  consequences: 'consequences',
  consequence: 'consequences',
  implications: 'consequences',
};

/**
 * Parses entries: each `## ` heading outside a code fence starts one, and a dated entry heading (`## 2025-03-01
 * — …`, the shape every recorded entry has) starts one even inside a fence: entries are found by their own
 * headings, so one entry with an unclosed fence cannot swallow every later decision. Bodies llmgenie writes have
 * their headings escaped, so a dated heading never appears inside one. Sections are `###`+ headings or
 * `**Label:**` / `Label:` lines (Context, Decision, Consequences and a few synonyms, any case); the date comes
 * from a `Date:` line or a leading date in the heading; text under no section becomes the decision.
 */
export function parseDecisionLog(text: string, logDir = 'docs', root = ''): DecisionEntry[] {
  const lines = text.split(/\r?\n/);
  const entries: DecisionEntry[] = [];
  let cur: { title: string; line: number; body: string[] } | undefined;
  let fence = false;
  const flush = () => cur && entries.push(parseEntry(cur.title, cur.line, cur.body, logDir, root));
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    const h = /^##\s+(.*?)\s*#*\s*$/.exec(l);
    if (h && (!fence || ENTRY_DATE.test(h[1]))) {
      fence = false; // a fence never runs across entries
      flush();
      cur = { title: h[1], line: i + 1, body: [] };
    } else {
      if (/^\s{0,3}(```|~~~)/.test(l)) fence = !fence;
      if (cur) cur.body.push(l);
    }
  }
  flush();
  return entries;
}

function parseEntry(heading: string, line: number, body: string[], logDir: string, root: string): DecisionEntry {
  let title = heading;
  let date: string | undefined;
  const hd = /^(\d{4}-\d{2}-\d{2})\s*(?:—|–|-|:)?\s*(.*)$/.exec(heading);
  if (hd) {
    date = hd[1];
    title = hd[2] || heading;
  }
  const sections: Record<'context' | 'decision' | 'consequences' | 'loose', string[]> = { context: [], decision: [], consequences: [], loose: [] };
  let target: keyof typeof sections = 'loose';
  let sessionRef: SessionRef | undefined;
  let fence = false;
  // Once an entry uses `###` sections, "Label:" lines are just text (a decision may well say "Context: ...").
  let sawHeading = false;
  for (const l of body) {
    if (/^\s{0,3}(```|~~~)/.test(l)) fence = !fence;
    if (!fence) {
      const sh = /^#{3,6}\s+(.*?)\s*#*\s*$/.exec(l);
      if (sh) {
        sawHeading = true;
        target = SECTION_NAMES[sh[1].toLowerCase().replace(/[:*_]/g, '').trim()] ?? 'loose';
        continue;
      }
      const meta = /^\s*(?:[-*]\s+)?(?:\*\*|__)?(date|session)(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*(.*)$/i.exec(l);
      if (meta && target === 'loose') {
        if (meta[1].toLowerCase() === 'date') date = meta[2].trim() || date;
        else sessionRef = parseSessionLink(meta[2], logDir, root) ?? sessionRef;
        continue;
      }
      const label = !sawHeading && /^\s*(?:\*\*|__)?([A-Za-z]+)(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*(.*)$/.exec(l);
      const mapped = label && SECTION_NAMES[label[1].toLowerCase()];
      if (label && mapped) {
        target = mapped;
        if (label[2].trim()) sections[target].push(label[2]);
        continue;
      }
    }
    sections[target].push(l);
  }
  const clean = (ls: string[]) => unescapeBody(ls.join('\n').trim()).replace(/^_\(none given\)_$/, '');
  const decision = clean(sections.decision) || clean(sections.loose);
  const consequences = clean(sections.consequences);
  return {
    title: title.trim(),
    ...(date ? { date } : {}),
    context: clean(sections.context),
    decision,
    ...(consequences ? { consequences } : {}),
    ...(sessionRef ? { sessionRef } : {}),
    line,
  };
}

/** `[text](../.llmgenie/sessions/x.jsonl#e3)` (relative to the log's folder) or a bare path → workspace-relative. */
function parseSessionLink(text: string, logDir: string, root: string): SessionRef | undefined {
  const m = /\]\(([^)\s]+)\)/.exec(text) ?? /^\s*(\S+\.jsonl(?:#\S+)?)/.exec(text);
  if (!m) return undefined;
  const [target, frag] = m[1].split('#');
  const resolved = target.startsWith('/') ? relativeToRoot(root, target) : posix.normalize(posix.join(logDir, target));
  return { path: resolved, ...(frag ? { eventId: frag } : {}) };
}
