// A workspace on disk set up as a hostile clone would be, beside an "outside" folder standing in for the user's
// home: settings pointing out of the workspace, and symbolic links leading out of it.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface HostileDisk {
  /** Parent of both: remove it when done. */
  readonly base: string;
  /** The workspace root. */
  readonly root: string;
  /** Outside the workspace: `.bashrc`, `.profile`, `.ssh/id_rsa`, an `elsewhere/` folder. */
  readonly home: string;
  write(rel: string, text: string): void;
  link(rel: string, target: string): void;
  settings(values: Record<string, unknown>): void;
  fifo(rel: string): void;
  remove(): void;
}

// A stand-in key outside the workspace that the path tests must never read. llmgenie-allow(400)
export const HOME_KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----\n';

export function hostileDisk(): HostileDisk {
  const base = mkdtempSync(join(tmpdir(), 'llmgenie-hostile-')).replace(/\\/g, '/');
  const root = `${base}/ws`;
  const home = `${base}/home`;
  const write = (abs: string, text: string) => {
    mkdirSync(dirname(abs), { recursive: true });
    writeFileSync(abs, text);
  };
  write(`${home}/.bashrc`, '# bashrc\n');
  write(`${home}/.profile`, '# profile\n');
  write(`${home}/.ssh/id_rsa`, HOME_KEY);
  mkdirSync(`${home}/elsewhere`, { recursive: true });
  mkdirSync(root, { recursive: true });
  return {
    base,
    root,
    home,
    write: (rel, text) => write(`${root}/${rel}`, text),
    link: (rel, target) => {
      mkdirSync(dirname(`${root}/${rel}`), { recursive: true });
      symlinkSync(target, `${root}/${rel}`);
    },
    settings: (values) => write(`${root}/.vscode/settings.json`, JSON.stringify(values)),
    fifo: (rel) => {
      mkdirSync(dirname(`${root}/${rel}`), { recursive: true });
      execFileSync('mkfifo', [`${root}/${rel}`]);
    },
    remove: () => rmSync(base, { recursive: true, force: true }),
  };
}
