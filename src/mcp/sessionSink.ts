import type { Clock } from '../core/platform/clock';
import type { FileSystem } from '../core/platform/fileSystem';
import { readWorkspaceSessionSettings } from '../core/sessions/settings';
import type { LocatingSessionEventSink, SessionEventInput } from '../core/sessions/sink';
import { openSession, type SessionStore } from '../core/sessions/store';

export interface McpSinkOptions {
  root: string;
  fs: FileSystem;
  clock: Clock;
  env: Readonly<Record<string, string | undefined>>;
  /** Where the one-time "session log unavailable" line goes (stderr: stdout is the protocol on stdio). */
  err: (text: string) => void;
  version?: string;
}

/**
 * The session sink of one `llmgenie mcp` process (host 'mcp'), so the editor's Sessions view and `llmgenie stats`
 * see what agents did. The session file is created on the first event only; failures are reported once and never
 * reach the tool call. `LLMGENIE_SESSION_LOG=off` disables it.
 */
export function openMcpSessionSink(opts: McpSinkOptions): LocatingSessionEventSink {
  const disabled = /^(off|0|false|no)$/i.test(opts.env.LLMGENIE_SESSION_LOG ?? '');
  let store: Promise<SessionStore | undefined> | undefined;
  let reported = false;
  const fail = (e: unknown) => {
    if (reported) return;
    reported = true;
    opts.err(`llmgenie mcp: session log unavailable (${(e as Error)?.message ?? String(e)}); continuing without it\n`);
  };
  const getStore = () =>
    (store ??= (async () => {
      const settings = await readWorkspaceSessionSettings(opts.fs, opts.root, opts.env);
      return openSession(opts.fs, opts.clock, {
        root: opts.root,
        dir: settings.dir,
        host: 'mcp',
        version: opts.version ?? 'dev',
        maxBytes: settings.maxBytes,
        retention: settings.retention,
      });
    })().catch((e) => {
      fail(e);
      return undefined;
    }));
  const appendLocated = async (event: SessionEventInput) => {
    if (disabled) return undefined;
    try {
      const s = await getStore();
      return s ? await s.appendLocated(event) : undefined;
    } catch (e) {
      fail(e);
      return undefined;
    }
  };
  return {
    appendLocated,
    append: async (event) => {
      await appendLocated(event);
    },
  };
}
