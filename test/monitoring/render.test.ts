// `npm run render`: the CLI writes every artifact of a profile, and the real tools accept the
// written files as they are (promtool check config follows rule_files; amtool check-config).
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { UIDS } from "showcase-monitoring/monitoring";
import { STACK_NAMES } from "../../tools/profiles";
import { removeTrees, run, writeTree } from "./support/commands";

afterAll(removeTrees);

const ROOT = join(__dirname, "../..");

// The README's command itself: `npm run render -- ...`.
function render(args: string[]) {
  const result = spawnSync("npm", ["run", "--silent", "render", "--", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe("npm run render", () => {
  it.each(STACK_NAMES)("writes the %s profile's files, which promtool and amtool accept", (stack) => {
    const out = writeTree({});
    const result = render(["--out", out, "--stack", stack]);
    expect(result.status, result.output).toBe(0);
    expect(readdirSync(join(out, "rules")).sort()).toEqual([
      "database.rules.yml",
      "http.rules.yml",
      "monitoring.rules.yml",
      "runtime.rules.yml",
      "slo.rules.yml",
    ]);
    expect(readdirSync(join(out, "dashboards")).sort()).toEqual(
      Object.values(UIDS)
        .map((uid) => `${uid}.json`)
        .sort(),
    );
    const dashboard = JSON.parse(readFileSync(join(out, "dashboards", `${UIDS.overview}.json`), "utf8")) as {
      uid: string;
    };
    expect(dashboard.uid).toBe(UIDS.overview);

    const prometheus = run("promtool", ["check", "config", "prometheus.yml"], out);
    expect(prometheus.status, prometheus.output).toBe(0);
    expect(prometheus.output.match(/SUCCESS: \d+ rules found/g)).toHaveLength(5);
    const alertmanager = run("amtool", ["check-config", "alertmanager.yml"], out);
    expect(alertmanager.status, alertmanager.output).toBe(0);
  });

  it.each([
    [["--stack", "dev"], "--out DIR is required"],
    [["--out", "/tmp/x", "--stack", "staging"], '--stack must be one of dev, prod, local (got "staging")'],
    [["--out", "/tmp/x", "--color"], "Unknown option '--color'"],
  ])("exits 2 with a clear message for %j", (args, message) => {
    const result = render(args);
    expect(result.status).toBe(2);
    expect(result.output).toContain(message);
    expect(result.output).toContain("usage: npm run render -- --out DIR [--stack dev|prod|local]");
  });
});
