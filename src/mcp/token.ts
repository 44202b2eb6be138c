import { createHash, randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

type Env = Readonly<Record<string, string | undefined>>;

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{32,256}$/;

/**
 * The user's own state folder for llmgenie (never inside a repository): `LLMGENIE_STATE_DIR`, else
 * `%LOCALAPPDATA%\llmgenie` on Windows, `~/Library/Application Support/llmgenie` on macOS,
 * `$XDG_STATE_HOME/llmgenie` or `~/.local/state/llmgenie` elsewhere.
 */
export function userStateDir(env: Env = process.env): string {
  const own = env.LLMGENIE_STATE_DIR?.trim();
  if (own) return own;
  if (process.platform === 'win32') return join(env.LOCALAPPDATA || join(homedir(), 'AppData', 'Local'), 'llmgenie');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'llmgenie');
  return join(env.XDG_STATE_HOME?.trim() || join(homedir(), '.local', 'state'), 'llmgenie');
}

/** Where the HTTP bearer token of one workspace lives: the user's state folder, keyed by the workspace's real path. */
export async function mcpTokenFile(root: string, env: Env = process.env): Promise<string> {
  const real = await fsp.realpath(root).catch(() => root);
  const key = createHash('sha256').update(real.replace(/\\/g, '/')).digest('hex').slice(0, 24);
  return join(userStateDir(env), 'mcp-tokens', key).replace(/\\/g, '/');
}

/**
 * The workspace's bearer token for `llmgenie mcp --http`, read from the user's state folder or generated (256
 * random bits) there with mode 0600 in a 0700 folder. Never read from or written to the repository: a token
 * shipped in a clone's `.llmgenie/mcp-token` would be a password the attacker already knows, and writing next to
 * it (a `.gitignore` entry) would follow whatever symbolic link the clone put there. A malformed file, or anything
 * but a regular file, is replaced. Uses the disk directly: file modes are outside the FileSystem interface.
 */
export async function ensureMcpToken(root: string, env: Env = process.env): Promise<{ token: string; file: string; created: boolean }> {
  const file = await mcpTokenFile(root, env);
  const st = await fsp.lstat(file).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return undefined;
    throw e;
  });
  if (st?.isFile()) {
    const token = (await fsp.readFile(file, 'utf8')).trim();
    if (TOKEN_SHAPE.test(token)) {
      // A restored backup may have widened it; a readable token is as good as none.
      if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) await fsp.chmod(file, 0o600);
      return { token, file, created: false };
    }
  }
  const token = randomBytes(32).toString('base64url');
  await fsp.mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  await fsp.writeFile(tmp, `${token}\n`, { mode: 0o600, flag: 'wx' });
  await fsp.chmod(tmp, 0o600); // the umask may have masked bits off, never on; this makes the mode exact
  await fsp.rename(tmp, file); // replaces a link or a bad file itself, never writes through it
  return { token, file, created: true };
}
