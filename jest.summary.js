// Prints one plain closing line, "tests: N passed, N failed, N skipped", for CI to read
// ("tests (label): ..." for a run given a label, like the Medusa server tests).
class SummaryReporter {
  constructor(_globalConfig, options = {}) {
    this.label = options.label ? ` (${options.label})` : "";
  }
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    process.stdout.write(`tests${this.label}: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped\n`);
  }
}
module.exports = SummaryReporter;
