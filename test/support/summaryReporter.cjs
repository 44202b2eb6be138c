// Spec output for people, plus one JSON line of counts appended to $LLMGENIE_TEST_SUMMARY so .ci/run can sum
// every suite it ran into a single "N passed, N failed" line.
'use strict';
const fs = require('node:fs');
const Mocha = require('mocha');

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    const suite = process.env.LLMGENIE_SUITE || 'unit';
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const out = process.env.LLMGENIE_TEST_SUMMARY;
      if (!out) return;
      const s = this.stats;
      const line = { suite, passed: s.passes, failed: s.failures, skipped: s.pending };
      fs.appendFileSync(out, JSON.stringify(line) + '\n');
    });
  }
}
module.exports = SummaryReporter;
