// .github/scripts/drift-issue.sh, run by bash with a recording stand-in for the GitHub CLI on PATH
// (GitHub's API cannot be reached here): which issue calls each outcome of a drift check makes.
import { execFile } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "./workflows";

const SCRIPT = join(ROOT, ".github", "scripts", "drift-issue.sh");
const dir = mkdtempSync(join(tmpdir(), "drift-issue-"));
const log = join(dir, "gh.log");
// Records each call, one line of NUL-separated arguments; `issue list` answers with GH_OPEN_ISSUE.
writeFileSync(
  join(dir, "gh"),
  `#!/usr/bin/env bash\nprintf '%s\\0' "$@" >> "${log}"\necho >> "${log}"\nif [ "$1 $2" = "issue list" ]; then echo "\${GH_OPEN_ISSUE:-}"; fi\n`,
);
chmodSync(join(dir, "gh"), 0o755);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const RUN_URL = "https://github.com/example-org/showcase-monitoring/actions/runs/42";

async function run(outcome: string, openIssue = ""): Promise<{ calls: string[][]; stdout: string }> {
  writeFileSync(log, "");
  const { stdout } = await promisify(execFile)("bash", [SCRIPT, "prod", outcome], {
    env: { ...process.env, PATH: `${dir}:${process.env["PATH"] ?? ""}`, GH_OPEN_ISSUE: openIssue, RUN_URL },
  });
  const calls = readFileSync(log, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => line.split("\0").filter((a) => a !== ""));
  return { calls, stdout };
}

const LIST = [
  "issue",
  "list",
  "--label",
  "drift",
  "--state",
  "open",
  "--search",
  '"Drift detected on the prod stack" in:title',
  "--json",
  "number,title",
  "--jq",
  '.[] | select(.title == "Drift detected on the prod stack") | .number',
];

describe("drift-issue.sh", () => {
  it("opens a labelled issue when the stack drifted and none is open", async () => {
    const { calls } = await run("failure");
    expect(calls.slice(0, 2)).toEqual([
      LIST,
      [
        "label",
        "create",
        "drift",
        "--color",
        "B60205",
        "--description",
        "A stack differs from its code",
        "--force",
      ],
    ]);
    expect(calls[2]?.slice(0, 6)).toEqual([
      "issue",
      "create",
      "--title",
      "Drift detected on the prod stack",
      "--label",
      "drift",
    ]);
    expect(calls[2]?.[7]).toContain(RUN_URL);
    expect(calls).toHaveLength(3);
  });

  it("comments on the open issue when the stack still drifts", async () => {
    const { calls } = await run("failure", "17");
    expect(calls.map((c) => c.slice(0, 3))).toEqual([LIST.slice(0, 3), ["issue", "comment", "17"]]);
    expect(calls[1]?.[4]).toContain("`pulumi preview --refresh --expect-no-changes` of prod failed");
  });

  it("closes the open issue once the stack matches its code again, and does nothing when none is open", async () => {
    expect((await run("success", "17")).calls[1]).toEqual([
      "issue",
      "close",
      "17",
      "--comment",
      `The prod stack matches its code again: ${RUN_URL}`,
    ]);
    expect((await run("success")).calls).toEqual([LIST]);
  });

  it("reports nothing for a cancelled check and refuses an unknown outcome", async () => {
    expect((await run("cancelled", "17")).stdout).toBe(
      "drift-issue: the check of prod was cancelled; nothing to report\n",
    );
    await expect(run("weird")).rejects.toMatchObject({
      code: 2,
      stderr: "drift-issue: unknown outcome 'weird' (expected success, failure, cancelled or skipped)\n",
    });
  });
});
