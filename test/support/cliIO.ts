import type { CliIO } from '../../src/cli/command';

/** A CLI IO for tests that collects what a command prints. */
export function fakeCliIO(cwd: string, env: Record<string, string> = {}): CliIO & { stdout: string; stderr: string } {
  const io = {
    cwd,
    env,
    stdout: '',
    stderr: '',
    out(t: string) {
      io.stdout += t;
    },
    err(t: string) {
      io.stderr += t;
    },
    readStdin: async () => '',
  };
  return io;
}
