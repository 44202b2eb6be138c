// Runs inside the Extension Development Host: the extension activates and contributes its commands.
const assert = require('node:assert/strict');
const vscode = require('vscode');

exports.run = async function run() {
  const ext = vscode.extensions.getExtension('llmgenie.llmgenie');
  assert.ok(ext, 'llmgenie is installed');
  await ext.activate();
  const commands = await vscode.commands.getCommands(true);
  for (const id of ['llmgenie.router.selectMode', 'llmgenie.rules.generateManifest', 'llmgenie.rules.lint']) {
    assert.ok(commands.includes(id), `command ${id} is registered`);
  }
  await vscode.commands.executeCommand('llmgenie.rules.lint');
  const problems = vscode.languages.getDiagnostics().flatMap(([uri, d]) => d.map((x) => `${uri.path}: ${x.message}`));
  assert.ok(problems.some((p) => p.includes('unbalanced braces')), `expected the broken glob problem, got ${problems.join('; ')}`);
};
