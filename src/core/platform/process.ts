import { hostname } from 'node:os';
import { spawn } from 'node:child_process';

/** This machine's name, so a lock written on another machine sharing the folder is not judged by local pids. */
export function machineName(): string {
  return hostname();
}

/** Whether a process with this pid runs on this machine (EPERM: it does, under another user). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface ProcessResult {
  /** null when it was killed (timeout, cancel). */
  exitCode: number | null;
  timedOut: boolean;
  cancelled: boolean;
  /** stdout and stderr interleaved as they came, cut to the last `maxOutputChars`. */
  output: string;
  ms: number;
}

export interface ProcessRunOptions {
  cwd: string;
  timeoutMs: number;
  maxOutputChars: number;
  signal?: AbortSignal;
  env?: Readonly<Record<string, string | undefined>>;
}

/** Runs a shell command line (a team's configured command, never a model's). Tests pass a fake. */
export type ProcessRunner = (commandLine: string, opts: ProcessRunOptions) => Promise<ProcessResult>;

/**
 * Spawns through the shell in its own process group, so a timeout or cancel kills the command and everything it
 * started (test runners fork). Output is kept as a rolling tail, so a chatty command cannot fill memory.
 */
export const nodeProcessRunner: ProcessRunner = (commandLine, opts) =>
  new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(commandLine, { cwd: opts.cwd, shell: true, detached: process.platform !== 'win32', env: { ...process.env, ...opts.env } as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let timedOut = false;
    let cancelled = false;
    const keep = (d: Buffer) => {
      output += d.toString('utf8');
      if (output.length > opts.maxOutputChars * 2) output = output.slice(-opts.maxOutputChars);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const kill = () => {
      try {
        if (child.pid && process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => ((timedOut = true), kill()), opts.timeoutMs);
    const onAbort = () => ((cancelled = true), kill());
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const done = (code: number | null, error?: Error) => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (error) output += `\n${error.message}`;
      const tail = output.length > opts.maxOutputChars ? `[… ${output.length - opts.maxOutputChars} characters cut]\n${output.slice(-opts.maxOutputChars)}` : output;
      resolve({ exitCode: timedOut || cancelled ? null : code, timedOut, cancelled, output: tail, ms: performance.now() - t0 });
    };
    child.once('error', (e) => done(null, e));
    child.once('close', (code) => done(code));
    if (opts.signal?.aborted) onAbort();
  });
