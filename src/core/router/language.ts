// Language ids for fenced code blocks and file names. Kept apart from ./quality, which pulls in @babel/parser,
// so the webviews (task summaries) and the activation bundle get these few lines without the parser.

const LANG_ALIASES: Record<string, string> = {
  ts: 'typescript', typescript: 'typescript', mts: 'typescript', cts: 'typescript',
  tsx: 'typescriptreact', typescriptreact: 'typescriptreact',
  js: 'javascript', javascript: 'javascript', mjs: 'javascript', cjs: 'javascript', node: 'javascript',
  jsx: 'javascriptreact', javascriptreact: 'javascriptreact',
  py: 'python', python: 'python', python3: 'python',
  rb: 'ruby', ruby: 'ruby', go: 'go', golang: 'go', rs: 'rust', rust: 'rust', java: 'java',
  kt: 'kotlin', kotlin: 'kotlin', cs: 'csharp', csharp: 'csharp', 'c#': 'csharp', cpp: 'cpp', 'c++': 'cpp',
  cc: 'cpp', hpp: 'cpp', c: 'c', h: 'c', php: 'php', swift: 'swift', scala: 'scala', json: 'json', jsonc: 'jsonc',
  yaml: 'yaml', yml: 'yaml', sql: 'sql', html: 'html', css: 'css', scss: 'scss', md: 'markdown', markdown: 'markdown',
  sh: 'shellscript', bash: 'shellscript', zsh: 'shellscript', shell: 'shellscript', shellscript: 'shellscript',
  console: 'console', text: 'plaintext', txt: 'plaintext', plaintext: 'plaintext', diff: 'diff', patch: 'diff',
  vue: 'vue', svelte: 'svelte', dart: 'dart', lua: 'lua', r: 'r', toml: 'toml', xml: 'xml', dockerfile: 'dockerfile',
};

export function normaliseLanguage(lang: string | undefined): string | undefined {
  if (!lang) return undefined;
  const l = lang.toLowerCase().replace(/^\{?\.?/, '').replace(/\}$/, '');
  return LANG_ALIASES[l] ?? l;
}

/** Language id from a file name's extension, or undefined. */
export function languageOfFile(fileName: string): string | undefined {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  if (/^dockerfile$/i.test(base)) return 'dockerfile';
  const ext = /\.([^.]+)$/.exec(base)?.[1];
  return ext ? LANG_ALIASES[ext.toLowerCase()] : undefined;
}
