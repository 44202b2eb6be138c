import { strict as assert } from 'node:assert';
import { ProviderError } from '../../../src/core/router/errors';
import { modelMissingKey, providerProblemKey, taskView } from '../../../src/core/router/shownOnce';

describe('shownOnce: one set of problems told once', () => {
  it('keys Ollama problems by host (and model), whatever the message wording', () => {
    const host = 'http://127.0.0.1:11434';
    assert.equal(providerProblemKey(new ProviderError('unreachable', `Ollama is not running at ${host} (start it with \`ollama serve\`)`, 'ollama')), `ollama:unreachable:${host}`);
    assert.equal(providerProblemKey(new ProviderError('unreachable', `Cannot reach Ollama at ${host} (EHOSTUNREACH)`, 'ollama')), `ollama:unreachable:${host}`);
    const missing = new ProviderError('model-missing', `Ollama at ${host} does not have model "m" (no models are installed); pull it`, 'ollama');
    assert.equal(providerProblemKey(missing, 'm'), modelMissingKey(host, 'm'));
    assert.equal(providerProblemKey(new ProviderError('model-missing', `Ollama at ${host}: model "m" not found`, 'ollama'), 'm'), modelMissingKey(host, 'm'));
    assert.equal(providerProblemKey(new ProviderError('no-key', 'no key', 'anthropic')), 'anthropic:no-key');
    assert.equal(providerProblemKey(new ProviderError('rate-limited', 'slow down', 'anthropic')), undefined, 'told every time');
  });

  it('a task sees a problem first met in it as unshown, later tasks as shown', () => {
    const shown = new Set<string>();
    const first = taskView(shown);
    shown.add('ollama:unreachable:h'); // the toast, during the first task
    assert.equal(first.has('ollama:unreachable:h'), false, 'the banner of the same task still tells it');
    first.add('ollama:unreachable:h');
    assert.equal(taskView(shown).has('ollama:unreachable:h'), true, 'the next task stays quiet');
  });
});
