import type { Clock } from '../platform/clock';
import type { FileSystem } from '../platform/fileSystem';
import { readWorkspaceSessionSettings } from './settings';
import type { LocatingSessionEventSink, SessionEventInput } from './sink';
import { openSession, type SessionStore } from './store';

export interface LazySinkOptions {
  root: string;
  fs: FileSystem;
  clock: Clock;
  env: Readonly<Record<string, string | undefined>>;
  host: 'cli' | 'mcp';
  version?: string;
  /** Where the one-time "session log unavailable" line goes (stderr: on MCP stdio, stdout is the protocol). */
  err: (text: string) => void;
  /** Prefix of that line, e.g. "llmgenie" or "llmgenie mcp". */
  label: string;
}

/**
 * The session sink of a headless process (the CLI, the MCP server), so the editor's Sessions view and
 * `llmgenie stats` see headless work too. The session file is created on the first event only, with the
 * workspace's session settings. Never throws into the caller: the first failure is reported once, later ones are
 * silent. `LLMGENIE_SESSION_LOG=off` disables it.
 */
export function openLazySessionSink(opts: LazySinkOptions): LocatingSessionEventSink {
  const disabled = /^(off|0|false|no)$/i.test(opts.env.LLMGENIE_SESSION_LOG ?? '');
  let store: Promise<SessionStore | undefined> | undefined;
  let reported = false;
  const fail = (e: unknown) => {
    if (reported) return;
    reported = true;
    opts.err(`${opts.label}: session log unavailable (${(e as Error)?.message ?? String(e)}); continuing without it\n`);
  };
  const getStore = () =>
    (store ??= (async () => {
      const settings = await readWorkspaceSessionSettings(opts.fs, opts.root, opts.env);
      return openSession(opts.fs, opts.clock, {
        root: opts.root,
        dir: settings.dir,
        host: opts.host,
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
