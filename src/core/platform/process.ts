import { hostname } from 'node:os';

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
