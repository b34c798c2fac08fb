// A vitest reporter that keeps the list of test files started but not finished in the file named by
// BILLFOLD_RUNNING_FILE, so `npm test` can name the file that hung when it stops a phase at its limit.
import { writeFileSync } from "node:fs";
import type { Reporter, TestModule } from "vitest/node";

export default class RunningFilesReporter implements Reporter {
  private readonly running = new Set<string>();
  private readonly target = process.env.BILLFOLD_RUNNING_FILE;

  onTestModuleStart(testModule: TestModule) {
    this.running.add(testModule.relativeModuleId);
    this.save();
  }

  onTestModuleEnd(testModule: TestModule) {
    this.running.delete(testModule.relativeModuleId);
    this.save();
  }

  private save() {
    if (this.target) writeFileSync(this.target, [...this.running].join("\n"));
  }
}
