// The one way core runs git: handoff drafts, the branch policy and (through the same type) tests' fakes.
import { execFile } from 'node:child_process';

/** Runs `git <args>` in `cwd` and resolves with stdout; rejects with git's first stderr line when git fails or is missing. */
export type GitRunner = (args: readonly string[], cwd: string) => Promise<string>;

export const nodeGitRunner: GitRunner = (args, cwd) =>
  new Promise((resolve, reject) => {
    execFile('git', [...args], { cwd, maxBuffer: 32 * 1024 * 1024, windowsHide: true, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) reject(new Error((stderr || err.message).trim().split(/\r?\n/)[0]));
      else resolve(stdout);
    });
  });
