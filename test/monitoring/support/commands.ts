// Runs the real checkers (promtool, amtool) of the tested versions and hands back exit code and
// combined output, so a failing assertion shows what the tool said.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { toolPath } from "../../../tools/monitoring-tools";

export interface CommandResult {
  status: number | null;
  output: string;
}

export function run(tool: "promtool" | "amtool", args: string[], cwd?: string): CommandResult {
  const result = spawnSync(toolPath(tool), args, { cwd, encoding: "utf8", timeout: 60_000 });
  if (result.error) throw new Error(`${tool}: ${result.error.message}`);
  return {
    status: result.status,
    output: `$ ${tool} ${args.join(" ")}\n${result.stdout}${result.stderr}`,
  };
}

const created: string[] = [];

/** Removes every folder `writeTree` made: call it in the test file's `afterAll`. */
export function removeTrees(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A fresh temporary folder holding `files` (relative path → content). */
export function writeTree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "monitoring-test-"));
  created.push(dir);
  for (const [name, text] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  return dir;
}
