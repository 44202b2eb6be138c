import type { Clock } from '../core/platform/clock';
import type { FileSystem } from '../core/platform/fileSystem';
import { openLazySessionSink } from '../core/sessions/lazySink';
import type { LocatingSessionEventSink } from '../core/sessions/sink';

export interface McpSinkOptions {
  root: string;
  fs: FileSystem;
  clock: Clock;
  env: Readonly<Record<string, string | undefined>>;
  /** Where the one-time "session log unavailable" line goes (stderr: stdout is the protocol on stdio). */
  err: (text: string) => void;
  version?: string;
}

/** The session sink of one `llmgenie mcp` process (host 'mcp'), so the editor sees what agents did. */
export function openMcpSessionSink(opts: McpSinkOptions): LocatingSessionEventSink {
  return openLazySessionSink({ ...opts, host: 'mcp', label: 'llmgenie mcp' });
}
