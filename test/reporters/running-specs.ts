// A Playwright reporter that keeps the list of tests begun but not ended in the file named by
// BILLFOLD_RUNNING_FILE, so `npm test` can name the spec that hung when it stops the e2e phase at its limit.
import { writeFileSync } from "node:fs";
import path from "node:path";
import type { Reporter, TestCase } from "@playwright/test/reporter";

export default class RunningSpecsReporter implements Reporter {
  private readonly running = new Set<string>();
  private readonly target = process.env.BILLFOLD_RUNNING_FILE;

  private name(test: TestCase) {
    return `${path.relative(process.cwd(), test.location.file)}:${test.location.line} › ${test.title}`;
  }

  onTestBegin(test: TestCase) {
    this.running.add(this.name(test));
    this.save();
  }

  onTestEnd(test: TestCase) {
    this.running.delete(this.name(test));
    this.save();
  }

  printsToStdio() {
    return false;
  }

  private save() {
    if (this.target) writeFileSync(this.target, [...this.running].join("\n"));
  }
}
