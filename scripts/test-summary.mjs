// Prints one closing line over every test runner's results: "total: N passed, N failed, N skipped".
import fs from "node:fs";

function read(file) {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return null;
  }
}

let passed = 0;
let failed = 0;
let skipped = 0;
const vitest = read("test-results/vitest.json");
if (vitest) {
  passed += vitest.numPassedTests;
  failed += vitest.numFailedTests;
  skipped += vitest.numPendingTests + (vitest.numTodoTests ?? 0);
}
const playwright = read("test-results/playwright.json");
if (playwright?.stats) {
  passed += playwright.stats.expected;
  failed += playwright.stats.unexpected;
  // A test that failed and then passed on its retry counts as passed, but is named so it gets looked at.
  passed += playwright.stats.flaky ?? 0;
  if (playwright.stats.flaky) console.log(`\nnote: ${playwright.stats.flaky} end-to-end test(s) passed only on retry (flaky)`);
  skipped += playwright.stats.skipped;
}
console.log(`\ntotal: ${passed} passed, ${failed} failed, ${skipped} skipped`);
