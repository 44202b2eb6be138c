import type { SessionEvent } from './events';
import { count } from '../text/plural';
import { routeStory } from '../router/routeStory';

export interface EventDescription {
  /** Short label, e.g. "task · explain". */
  label: string;
  /** One line of detail, e.g. "local · ollama/qwen2.5-coder:7b · 812 ms · $0.0000". */
  description: string;
  /** Files the event is about (for "jump to file"), workspace-relative as recorded. */
  files: string[];
}

/** Human text for one event: shared by the tree view, the markdown export and the CLI. */
export function describeEvent(e: SessionEvent): EventDescription {
  if (e.generic) return { label: e.type, description: 'event of a type this version does not know', files: [] };
  switch (e.type) {
    case 'session-start':
      return { label: 'session start', description: `${e.payload.host} · ${e.payload.workspace} · v${e.payload.version}`, files: [] };
    case 'task': {
      const p = e.payload;
      const story = routeStory(p);
      const route = story.moved && p.escalationReason ? `${story.text} (${p.escalationReason})` : story.text;
      const parts = [route, `${p.provider}/${p.model}`, `${Math.round(p.totalMs)} ms`];
      if (p.ttftMs !== undefined) parts.push(`ttft ${Math.round(p.ttftMs)} ms`);
      parts.push(`${p.tokensIn}→${p.tokensOut} tok`, usd(p.costUsd));
      if (!p.ok) parts.push(`failed${p.error ? `: ${p.error}` : ''}`);
      return { label: `task · ${p.command}`, description: parts.join(' · '), files: p.files ?? [] };
    }
    case 'policy': {
      const p = e.payload;
      const sev = Object.entries(p.bySeverity)
        .filter(([, n]) => n > 0)
        .map(([s, n]) => count(n, s))
        .join(', ');
      return { label: `policy · ${p.source}`, description: `${count(p.findings, 'finding')} in ${count(p.files, 'file')}${sev ? ` (${sev})` : ''}`, files: [] };
    }
    case 'handoff':
      return {
        label: `handoff · ${e.payload.action}`,
        description: `${e.payload.path} · score ${e.payload.score} · ${e.payload.passed ? 'passed' : 'failed'} · ${e.payload.gaps} gaps`,
        files: [e.payload.path],
      };
    case 'decision':
      return { label: `decision · ${e.payload.title}`, description: e.payload.decision, files: e.payload.file ? [e.payload.file] : [] };
    case 'lesson':
      return { label: `lesson · ${e.payload.action}`, description: `${e.payload.title} (${e.payload.id})`, files: [] };
    case 'note':
      return { label: 'note', description: e.payload.message, files: [] };
  }
}

export function usd(n: number): string {
  return `$${n.toFixed(n !== 0 && Math.abs(n) < 0.01 ? 4 : 2)}`;
}
