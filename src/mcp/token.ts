import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { dirname } from 'node:path';

/** Where the HTTP server's bearer token lives, relative to the workspace root. */
export const TOKEN_FILE = '.llmgenie/mcp-token';

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{32,256}$/;

/**
 * The workspace's bearer token for `llmgenie mcp --http`: read from `.llmgenie/mcp-token`, or generated (256 random
 * bits) and written there with mode 0600 so only this user can read it. A malformed file is replaced. Uses the
 * disk directly: file modes are outside the FileSystem interface.
 */
export async function ensureMcpToken(root: string): Promise<{ token: string; file: string; created: boolean }> {
  const file = `${root.replace(/\/+$/, '')}/${TOKEN_FILE}`;
  try {
    const token = (await fsp.readFile(file, 'utf8')).trim();
    if (TOKEN_SHAPE.test(token)) {
      const st = await fsp.stat(file);
      // A copy or an unpacked archive may have widened it; a readable token is as good as none.
      if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) await fsp.chmod(file, 0o600);
      return { token, file, created: false };
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const token = randomBytes(32).toString('base64url');
  await fsp.mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  await fsp.writeFile(tmp, `${token}\n`, { mode: 0o600 });
  await fsp.chmod(tmp, 0o600); // the umask may have masked bits off, never on; this makes the mode exact
  await fsp.rename(tmp, file);
  await ignoreInGit(dirname(file), 'mcp-token');
  return { token, file, created: true };
}

/** `.llmgenie/` may be committed (decision links point into it); the token must never be. */
async function ignoreInGit(dir: string, name: string): Promise<void> {
  const ignore = `${dir}/.gitignore`;
  let text = '';
  try {
    text = await fsp.readFile(ignore, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') return;
  }
  if (text.split(/\r?\n/).some((l) => l.trim() === name || l.trim() === `/${name}`)) return;
  await fsp.writeFile(ignore, `${text}${text && !text.endsWith('\n') ? '\n' : ''}${name}\n`);
}
