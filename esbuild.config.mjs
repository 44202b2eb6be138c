// Bundles the extension, the CLI and the webview apps. `--production` minifies; `--watch` rebuilds on change.
import * as esbuild from 'esbuild';
import { dirname, join } from 'node:path';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
// `--metafile` writes dist/meta/<bundle>.json (esbuild's input/output map) to see what each bundle pulls in:
// load one at https://esbuild.github.io/analyze/ or read its "inputs" bytes per module.
const metafile = process.argv.includes('--metafile');
const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // Prefer ES module builds: jsonc-parser's UMD build hides its requires from the bundler.
  mainFields: ['module', 'main'],
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  define: { 'process.env.LLMGENIE_VERSION': JSON.stringify(version) },
};

// Webview apps: media/<view>/main.ts → dist/webviews/<view>.js (browser, IIFE).
const webviewEntries = Object.fromEntries(
  readdirSync('media', { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(`media/${d.name}/main.ts`))
    .map((d) => [d.name, `media/${d.name}/main.ts`]),
);

// The router engine is its own bundle, required on the first task (src/extension/router/loadEngine.ts).
const routerEngineExternal = {
  name: 'router-engine-external',
  setup(build) {
    build.onResolve({ filter: /^\.\/routerEngine\.js$/ }, () => ({ path: './routerEngine.js', external: true }));
  },
};

// @redis/client (the team bus, src/core/agents/bus/redisConnection.ts) is its own bundle too, required by the
// dynamic import on the first Redis connection: activation and commands that never use Redis do not parse it.
const redisClientExternal = {
  name: 'redis-client-external',
  setup(build) {
    build.onResolve({ filter: /^@redis\/client$/ }, () => ({ path: './redisClient.js', external: true }));
  },
};

// zod re-exports every error-message locale as `z.locales` (~260 KB per bundle) and esbuild cannot drop a namespace
// re-export. Only English is used (zod's default; nothing calls z.config with another locale), so `locales` is
// narrowed to `en` here: same messages, a quarter MB less in each of the extension, engine and CLI bundles.
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/]/.test(args.importer) ? { path: join(dirname(args.importer), '../locales/index.js'), namespace: 'zod-locales' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(join(dirname(args.path), 'en.js'))};`,
      resolveDir: dirname(args.path),
    }));
  },
};

const builds = [
  { ...node, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'], plugins: [routerEngineExternal, redisClientExternal, zodEnglishOnly] },
  { ...node, entryPoints: ['src/extension/router/engine.ts'], outfile: 'dist/routerEngine.js', plugins: [zodEnglishOnly] },
  { ...node, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', plugins: [redisClientExternal, zodEnglishOnly] },
  { ...node, entryPoints: ['node_modules/@redis/client/dist/index.js'], outfile: 'dist/redisClient.js' },
  ...(Object.keys(webviewEntries).length
    ? [{ bundle: true, platform: 'browser', target: 'es2022', format: 'iife', sourcemap: !production, minify: production, logLevel: 'warning', entryPoints: webviewEntries, outdir: 'dist/webviews', plugins: [zodEnglishOnly] }]
    : []),
];

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  const results = await Promise.all(builds.map((b) => esbuild.build({ ...b, metafile })));
  if (metafile) {
    mkdirSync('dist/meta', { recursive: true });
    results.forEach((r, i) => {
      const name = builds[i].outfile ? builds[i].outfile.replace(/^dist\//, '').replace(/\.js$/, '') : 'webviews';
      writeFileSync(`dist/meta/${name}.json`, JSON.stringify(r.metafile));
    });
  }
}
