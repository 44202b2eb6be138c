import * as vscode from 'vscode';
import { describeEvent, usd } from '../../core/sessions/describe';
import { routeStory } from '../../core/router/routeStory';
import { eventDetails } from '../../core/sessions/details';
import type { SessionEvent } from '../../core/sessions/events';
import type { SessionSummary } from '../../core/sessions/read';
import type { ExtensionServices } from '../services';
import { debounce, getEditorSessions } from './editorSession';
import type { EditorSessions } from './editorSession';
import { OPEN_EVENT } from './sessionEventDocument';

export type SessionsNode =
  | { kind: 'section'; section: SessionsSection; node: unknown }
  | { kind: 'folder'; root: string; name: string; sessions: SessionSummary[] }
  | { kind: 'session'; summary: SessionSummary; root: string }
  | { kind: 'event'; sessionId: string; root: string; index: number; event: SessionEvent }
  | { kind: 'detail'; key: string; value: string };

/**
 * A section another feature shows above the sessions (agent runs), with nodes of its own: the tree wraps them as
 * `{ kind: 'section', node }`, which is also what its context-menu commands receive.
 */
export interface SessionsSection {
  roots(): Promise<unknown[]>;
  item(node: unknown): vscode.TreeItem;
  children(node: unknown): Promise<unknown[]>;
  readonly onDidChange: vscode.Event<void>;
}

export const SESSION_CONTEXT = 'llmgenie.session';
export const EVENT_CONTEXT = 'llmgenie.sessionEvent';

/** The types a user can filter by; types from newer builds found on disk are offered too. */
export const FILTERABLE_TYPES = ['task', 'policy', 'handoff', 'decision', 'lesson', 'note'];

/**
 * Sessions (newest first) → their events → key: value details; in a multi-root workspace the sessions sit under
 * their folder. Reads go through each folder's cache, so a refresh after an append re-parses only the file that grew.
 */
export class SessionsTreeProvider implements vscode.TreeDataProvider<SessionsNode>, vscode.Disposable {
  static readonly viewId = 'llmgenie.sessions';
  private readonly changed = new vscode.EventEmitter<SessionsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** Event types shown; empty = all. */
  private filter: ReadonlySet<string> = new Set();
  private readonly onFilter = new vscode.EventEmitter<void>();
  readonly onDidChangeFilter = this.onFilter.event;
  /** Types seen on disk at the last listing, for the filter pick. */
  seenTypes: ReadonlySet<string> = new Set();
  private readonly sections: SessionsSection[] = [];

  constructor(
    private readonly services: ExtensionServices,
    private readonly sessions: EditorSessions,
  ) {}

  get typeFilter(): ReadonlySet<string> {
    return this.filter;
  }

  setTypeFilter(types: Iterable<string>): void {
    this.filter = new Set(types);
    this.onFilter.fire();
    this.refresh();
  }

  refresh(): void {
    this.changed.fire(undefined);
  }

  addSection(section: SessionsSection): vscode.Disposable {
    this.sections.push(section);
    const sub = section.onDidChange(() => this.refresh());
    this.refresh();
    return { dispose: () => (sub.dispose(), this.sections.splice(this.sections.indexOf(section), 1)) };
  }

  getTreeItem(node: SessionsNode): vscode.TreeItem {
    if (node.kind === 'section') return node.section.item(node.node);
    if (node.kind === 'folder') return folderItem(node);
    if (node.kind === 'session') return sessionItem(node.summary, node.root, this.sessions.isLive(node.summary.id));
    if (node.kind === 'event') return eventItem(node);
    const item = new vscode.TreeItem(node.key, vscode.TreeItemCollapsibleState.None);
    item.description = node.value;
    item.tooltip = `${node.key}: ${node.value}`;
    item.contextValue = 'llmgenie.sessionDetail';
    return item;
  }

  async getChildren(node?: SessionsNode): Promise<SessionsNode[]> {
    if (node?.kind === 'section') return (await node.section.children(node.node)).map((n) => ({ kind: 'section', section: node.section, node: n }));
    if (!node) {
      const extra: SessionsNode[] = [];
      for (const section of this.sections) {
        try {
          for (const n of await section.roots()) extra.push({ kind: 'section', section, node: n });
        } catch (e) {
          this.services.log.warn(`sessions view: a section could not list its items: ${(e as Error).message}`);
        }
      }
      let byFolder;
      try {
        byFolder = await this.sessions.readByFolder();
      } catch (e) {
        this.services.reportError('sessions-read', `cannot read the session logs in ${this.sessions.displayDir}`, e);
        return extra;
      }
      const seen = new Set<string>();
      for (const f of byFolder) for (const s of f.sessions) for (const t of s.summary.types) seen.add(t);
      this.seenTypes = seen;
      const shown = byFolder.map((f) => ({ folder: f.folder, sessions: f.sessions.map((s) => s.summary).filter((s) => !this.filter.size || s.types.some((t) => this.filter.has(t))) }));
      // Nothing anywhere: the view's welcome text says so. One folder needs no heading; with several, each folder
      // is a group, an empty one saying so.
      if (shown.every((f) => !f.sessions.length)) return extra;
      if (shown.length === 1) return [...extra, ...shown[0].sessions.map((summary): SessionsNode => ({ kind: 'session', summary, root: shown[0].folder.root }))];
      return [...extra, ...shown.map((f): SessionsNode => ({ kind: 'folder', root: f.folder.root, name: f.folder.name, sessions: f.sessions }))];
    }
    if (node.kind === 'folder') return node.sessions.map((summary) => ({ kind: 'session', summary, root: node.root }));
    if (node.kind === 'session') {
      const s = await this.sessions.read(node.summary.id, node.root);
      if (!s) return [];
      return s.events
        .map((event, index) => ({ kind: 'event' as const, sessionId: node.summary.id, root: node.root, index, event }))
        .filter((n) => n.event.type !== 'session-start' && (!this.filter.size || this.filter.has(n.event.type)));
    }
    if (node.kind === 'event') return eventDetails(node.event).map((d) => ({ kind: 'detail', ...d }));
    return [];
  }

  dispose(): void {
    this.changed.dispose();
    this.onFilter.dispose();
  }
}

function localTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function folderItem(node: SessionsNode & { kind: 'folder' }): vscode.TreeItem {
  const item = new vscode.TreeItem(node.name, node.sessions.length ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None);
  // The tree keeps a row's collapsed state by id: a folder's first session gets a new id, so the group opens.
  item.id = node.sessions.length ? `folder:${node.root}` : `folder:${node.root}:empty`;
  item.description = node.sessions.length ? plural(node.sessions.length, 'session') : 'no sessions yet';
  // No resourceUri: the folder's problem decorations would colour the row as if its sessions had warnings.
  item.iconPath = new vscode.ThemeIcon('root-folder');
  item.tooltip = `${node.root}: ${node.sessions.length ? plural(node.sessions.length, 'session') : 'no sessions yet'}`;
  item.contextValue = 'llmgenie.sessionsFolder';
  return item;
}

function sessionItem(s: SessionSummary, root: string, live: boolean): vscode.TreeItem {
  const item = new vscode.TreeItem(localTime(s.start), vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `session:${root}:${s.id}`;
  const figures = s.taskCount ? `${plural(s.taskCount, 'task')} · ${usd(s.costUsd)}` : plural(s.eventCount, 'event');
  item.description = `${figures}${s.host && s.host !== 'editor' ? ` · ${s.host}` : ''}${live ? ' · this window' : ''}`;
  item.iconPath = new vscode.ThemeIcon(live ? 'record' : s.host === 'cli' ? 'terminal' : s.host === 'mcp' ? 'plug' : 'history');
  item.contextValue = SESSION_CONTEXT;
  const tip = new vscode.MarkdownString(undefined, true);
  tip.appendMarkdown(`**Session ${s.id}**\n\n`);
  tip.appendMarkdown(`- Started: ${localTime(s.start)}, last event ${localTime(s.end)}\n`);
  tip.appendMarkdown(`- Host: ${s.host ?? 'unknown'}${s.version ? ` (llmgenie ${s.version})` : ''}${s.workspace ? ` in ${s.workspace}` : ''}\n`);
  tip.appendMarkdown(`- ${plural(s.eventCount, 'event')}${s.types.length ? ` (${s.types.join(', ')})` : ''}; ${plural(s.taskCount, 'task')}, ${usd(s.costUsd)}\n`);
  tip.appendMarkdown(`- Files: ${s.files.map((f) => `\`${f.split('/').pop()}\``).join(', ')} (${(s.bytes / 1024).toFixed(1)} KB)\n`);
  if (s.warnings) tip.appendMarkdown(`- ⚠ ${plural(s.warnings, 'unreadable line')} skipped\n`);
  item.tooltip = tip;
  item.accessibilityInformation = { label: `Session ${localTime(s.start)}, ${item.description}` };
  return item;
}

const TYPE_ICONS: Record<string, [string, string?]> = {
  policy: ['shield'],
  handoff: ['package'],
  decision: ['law'],
  lesson: ['book'],
  note: ['note'],
};

function eventIcon(e: SessionEvent): vscode.ThemeIcon {
  if (e.generic) return new vscode.ThemeIcon('question');
  if (e.type === 'task') {
    const p = e.payload;
    if (!p.ok) return new vscode.ThemeIcon('error', new vscode.ThemeColor('charts.red'));
    const story = routeStory(p);
    if (story.moved) return new vscode.ThemeIcon(story.side === 'cloud' ? 'arrow-circle-up' : 'arrow-circle-down', new vscode.ThemeColor('charts.orange'));
    // Who answered, not where it was first routed: a task that ended on Claude shows as cloud.
    return story.side === 'local' ? new vscode.ThemeIcon('device-desktop', new vscode.ThemeColor('charts.green')) : new vscode.ThemeIcon('cloud', new vscode.ThemeColor('charts.blue'));
  }
  if (e.type === 'policy' && e.payload.findings > 0) return new vscode.ThemeIcon('shield', new vscode.ThemeColor('charts.yellow'));
  if (e.type === 'handoff' && !e.payload.passed) return new vscode.ThemeIcon('package', new vscode.ThemeColor('charts.yellow'));
  const [icon] = TYPE_ICONS[e.type] ?? ['circle-small'];
  return new vscode.ThemeIcon(icon);
}

function eventItem(node: SessionsNode & { kind: 'event' }): vscode.TreeItem {
  const { sessionId, index, event: e } = node;
  const d = describeEvent(e);
  const item = new vscode.TreeItem(d.label, vscode.TreeItemCollapsibleState.Collapsed);
  // The index, not the event id: two writers on one file (a crash-restart) can repeat ids.
  item.id = `event:${node.root}:${sessionId}:${index}`;
  item.description = d.description;
  item.iconPath = eventIcon(e);
  item.contextValue = d.files.length ? `${EVENT_CONTEXT}.withFile` : EVENT_CONTEXT;
  const tip = new vscode.MarkdownString();
  tip.appendText(`${localTime(e.time)} · ${d.label}\n\n${d.description}`);
  if (d.files.length) tip.appendMarkdown(`\n\nFiles: ${d.files.map((f) => `\`${f}\``).join(', ')}`);
  if (e.redacted) tip.appendMarkdown(`\n\n${plural(e.redacted, 'secret')} masked before writing.`);
  item.tooltip = tip;
  item.command = { command: OPEN_EVENT, title: 'Open Event', arguments: [node] };
  return item;
}

const trees = new WeakMap<ExtensionServices, { provider: SessionsTreeProvider; view: vscode.TreeView<SessionsNode> }>();

/** The window's Sessions view, for features that add a section to it (agent runs). */
export function getSessionsTree(services: ExtensionServices): { provider: SessionsTreeProvider; view: vscode.TreeView<SessionsNode> } | undefined {
  return trees.get(services);
}

/** Registers the view and keeps it current: live appends, the file watcher, settings changes. */
export function registerSessionsTree(services: ExtensionServices): SessionsTreeProvider {
  const sessions = getEditorSessions(services);
  const provider = services.track(new SessionsTreeProvider(services, sessions));
  const view = services.track(vscode.window.createTreeView(SessionsTreeProvider.viewId, { treeDataProvider: provider, showCollapseAll: true }));
  trees.set(services, { provider, view });
  const refresh = debounce(() => provider.refresh(), 200);
  services.track({ dispose: () => refresh.dispose() });
  services.track(sessions.onDidChange(() => refresh()));
  services.track(
    provider.onDidChangeFilter(() => {
      view.description = provider.typeFilter.size ? `only ${[...provider.typeFilter].join(', ')}` : undefined;
    }),
  );
  services.command('llmgenie.sessions.refresh', () => provider.refresh());
  return provider;
}
