// `llmgenie mcp`: the MCP server over stdio or loopback HTTP, and `llmgenie mcp install` for Cursor / Claude Code.
import { promises as fsp } from 'node:fs';
import { resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { systemClock, type Clock } from '../../core/platform/clock';
import { nodeFileSystem, type FileSystem } from '../../core/platform/fileSystem';
import { MCP_CONFIG_FILES, stdioLaunch, writeMcpConfigs, type McpConfigTarget } from '../../mcp/discovery';
import { startMcpHttpServer } from '../../mcp/http';
import { createLlmgenieServer, McpWorkspace } from '../../mcp/server';
import { openMcpSessionSink } from '../../mcp/sessionSink';
import { ensureMcpToken } from '../../mcp/token';
import { parseCliArgs } from '../args';
import { CliError, UsageError, type CliCommand, type CliIO } from '../command';
import { untilSignal } from '../untilSignal';

const SERVE_USAGE = `llmgenie mcp [--http PORT [--no-auth]] [--root DIR]
  Serves llmgenie (rules, lessons, handoffs, policy, router, decisions, sessions) over the Model Context Protocol.
  (no flags)     stdio, for clients that launch the server: VS Code, Cursor, Claude Code
  --http PORT    streamable HTTP on http://127.0.0.1:PORT/mcp (0 picks a free port); loopback only, Host/Origin
                 checked against DNS rebinding; requires "Authorization: Bearer <token>", the token being generated
                 once per workspace in your user state folder (mode 0600, never in the repository) and printed on stderr
  --no-auth      with --http: no token (for clients that cannot send headers); still loopback only
  --root DIR     workspace root (default: the current folder); tool paths are relative to it and cannot leave it
  Stops on SIGINT/SIGTERM, or (stdio) when the client closes the connection.`;

const INSTALL_USAGE = `llmgenie mcp install [--only cursor|claude] [--absolute] [--root DIR]
  Adds the llmgenie server to ${MCP_CONFIG_FILES.cursor} (Cursor) and ${MCP_CONFIG_FILES.claude} (Claude Code), keeping
  every other server and setting; a file that is not valid JSON is reported and left untouched (exit 2).
  --only T       just one of them
  --absolute     run this CLI by its absolute path (node <path>/cli.js mcp) instead of "npx llmgenie mcp"
  --root DIR     workspace root (default: the current folder)`;

export interface McpCliDeps {
  fs?: FileSystem;
  clock?: Clock;
  stdin?: Readable;
  stdout?: Writable;
  /** Resolves when the server should stop; default: SIGINT or SIGTERM. */
  untilStopped?: () => Promise<void>;
  /** The CLI bundle `install --absolute` points at; default the running script. */
  cliPath?: string;
}

function rootOf(io: CliIO, root: string | undefined): string {
  return resolve(io.cwd, root ?? '.').replace(/\\/g, '/');
}


function parsePort(raw: string): number {
  if (!/^\d{1,5}$/.test(raw) || Number(raw) > 65535) throw new UsageError(`--http takes a port number 0-65535, got "${raw}"`);
  return Number(raw);
}

export function createMcpCommands(deps: McpCliDeps = {}): CliCommand[] {
  const fs = deps.fs ?? nodeFileSystem;
  const clock = deps.clock ?? systemClock;
  const version = process.env.LLMGENIE_VERSION ?? 'dev';

  const serve: CliCommand = {
    words: ['mcp'],
    summary: 'Serve rules, lessons, handoffs, policy and the router to agents over MCP (stdio or --http PORT)',
    usage: SERVE_USAGE,
    async run(args, io) {
      const { values, positionals } = parseCliArgs(args, { http: { type: 'string' }, 'no-auth': { type: 'boolean' }, root: { type: 'string' } });
      if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
      if (values['no-auth'] && values.http === undefined) throw new UsageError('--no-auth only applies with --http PORT');
      const port = values.http === undefined ? undefined : parsePort(values.http);
      const root = rootOf(io, values.root);
      if ((await fs.stat(root))?.kind !== 'directory') throw new CliError(`workspace root is not a folder: ${root}`);

      const sink = openMcpSessionSink({ root, fs, clock, env: io.env, err: io.err, version });
      const realpath = fs === nodeFileSystem ? async (p: string) => (await fsp.realpath(p)).replace(/\\/g, '/') : undefined;
      const ws = new McpWorkspace({ root, fs, clock, sink, env: io.env, version, realpath });
      const stopped = (deps.untilStopped ?? untilSignal)();

      if (port === undefined) {
        const server = createLlmgenieServer(ws);
        const stdin = deps.stdin ?? process.stdin;
        const closed = new Promise<void>((done) => {
          server.server.onclose = () => done();
          stdin.once('end', () => done());
          stdin.once('close', () => done());
        });
        await server.connect(new StdioServerTransport(stdin, deps.stdout ?? process.stdout));
        io.err(`llmgenie mcp: serving ${root} over stdio\n`);
        await Promise.race([closed, stopped]);
        await server.close().catch(() => {});
        return 0;
      }

      let token: string | undefined;
      let tokenFile = '';
      if (values['no-auth']) {
        io.err('llmgenie mcp: WARNING: --no-auth: any local process can call this server (it still only listens on 127.0.0.1)\n');
      } else {
        try {
          ({ token, file: tokenFile } = await ensureMcpToken(root, io.env));
        } catch (e) {
          throw new CliError(`cannot read or create the bearer token in your user state folder: ${(e as Error).message}`);
        }
      }
      let handle;
      try {
        handle = await startMcpHttpServer({ port, token, createServer: () => createLlmgenieServer(ws), onError: (m) => io.err(`llmgenie mcp: ${m}\n`) });
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new CliError(code === 'EADDRINUSE' ? `port ${port} is already in use` : `cannot listen on 127.0.0.1:${port}: ${(e as Error).message}`);
      }
      io.err(`llmgenie mcp: serving ${root} on ${handle.url}\n`);
      if (token) io.err(`llmgenie mcp: bearer token ${token} (stored in ${tokenFile})\n`);
      await stopped;
      await handle.close();
      io.err('llmgenie mcp: stopped\n');
      return 0;
    },
  };

  const install: CliCommand = {
    words: ['mcp', 'install'],
    summary: `Register the MCP server for Cursor (${MCP_CONFIG_FILES.cursor}) and Claude Code (${MCP_CONFIG_FILES.claude})`,
    usage: INSTALL_USAGE,
    async run(args, io) {
      const { values, positionals } = parseCliArgs(args, { only: { type: 'string' }, absolute: { type: 'boolean' }, root: { type: 'string' } });
      if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`);
      if (values.only !== undefined && !(values.only in MCP_CONFIG_FILES)) throw new UsageError(`--only takes cursor or claude, got "${values.only}"`);
      const targets: McpConfigTarget[] = values.only ? [values.only as McpConfigTarget] : ['cursor', 'claude'];
      const root = rootOf(io, values.root);
      const cliPath = deps.cliPath ?? (process.argv[1] ? resolve(process.argv[1]).replace(/\\/g, '/') : undefined);
      if (values.absolute && !cliPath) throw new CliError('cannot tell where this CLI is installed; run without --absolute');
      const entry = values.absolute ? stdioLaunch({ cliPath, nodePath: process.execPath.replace(/\\/g, '/') }) : stdioLaunch();
      const results = await writeMcpConfigs(fs, root, entry, targets);
      for (const r of results) {
        if (r.status === 'refused') io.err(`llmgenie mcp install: ${r.file}: ${r.error}\n`);
        else io.out(`${r.file}: ${r.status} (${[entry.command, ...entry.args].join(' ')})\n`);
      }
      return results.some((r) => r.status === 'refused') ? 2 : 0;
    },
  };

  return [serve, install];
}

export const commands: CliCommand[] = createMcpCommands();
