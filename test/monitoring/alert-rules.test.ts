// `promtool test rules` on every alert: each fires with its exact labels and annotations when it
// should, and stays silent when it should not (cases in ./cases). One promtool run for all cases.
import { afterAll, describe, expect, it } from "vitest";
import { alertNames, alertRules, isAlert, renderRuleFiles, ruleGroups } from "showcase-monitoring/monitoring";
import { ALERT_CASES, ALWAYS_FIRING } from "./cases";
import { removeTrees, run, writeTree } from "./support/commands";
import { RULES_INPUT } from "./support/inputs";
import { promtoolTestFile, type AlertCase } from "./support/rule-tests";

afterAll(removeTrees);

const rules = alertRules(RULES_INPUT);
const ruleFiles = renderRuleFiles(RULES_INPUT);

/**
 * One test file per rule file, loading only that file: promtool evaluates every loaded rule at
 * every step of every case, so this keeps the run to a few seconds.
 */
function promtoolTest(cases: AlertCase[]) {
  const files: Record<string, string> = {};
  for (const [file, groups] of Object.entries(ruleGroups(RULES_INPUT))) {
    const names = new Set(groups.flatMap((g) => g.rules.filter(isAlert).map((r) => r.alert)));
    const own = cases.filter((c) => names.has(c.alert));
    if (own.length === 0) continue;
    files[`rules/${file}`] = ruleFiles[file] ?? "";
    files[`${file}.test.yml`] = promtoolTestFile(own, [`rules/${file}`], rules);
  }
  const dir = writeTree(files);
  const testFiles = Object.keys(files).filter((f) => f.endsWith(".test.yml"));
  return run("promtool", ["test", "rules", ...testFiles], dir);
}

describe("alert rules under promtool test rules", () => {
  it("every case passes", () => {
    const result = promtoolTest(ALERT_CASES);
    expect(result.status, result.output).toBe(0);
    expect(result.output).toContain("SUCCESS");
  });

  it("a wrong expectation fails (the harness can fail)", () => {
    const [first] = ALERT_CASES.filter((c) => c.expect.length > 0);
    if (!first) throw new Error("no firing case");
    const broken: AlertCase = {
      ...first,
      expect: first.expect.map((e) => ({ ...e, description: `${e.description} (not what the rule says)` })),
    };
    const silenced: AlertCase = { ...first, name: "expected silent", expect: [] };
    const result = promtoolTest([broken, silenced]);
    expect(result.status, result.output).toBe(1);
    expect(result.output).toContain(`${first.alert}: ${first.name}`);
    expect(result.output).toContain("expected silent");
  });

  it("every alert has a firing case and a silent case", () => {
    const missing = alertNames(RULES_INPUT).flatMap((name) => {
      const cases = ALERT_CASES.filter((c) => c.alert === name);
      return [
        ...(cases.some((c) => c.expect.length > 0) ? [] : [`${name}: no firing case`]),
        ...(cases.some((c) => c.expect.length === 0) || ALWAYS_FIRING.includes(name)
          ? []
          : [`${name}: no silent case`]),
      ];
    });
    expect(missing).toEqual([]);
  });

  it("every case is about an alert that exists (none is dropped unrun)", () => {
    const names = alertNames(RULES_INPUT);
    expect(ALERT_CASES.map((c) => c.alert).filter((name) => !names.includes(name))).toEqual([]);
  });

  it("every severity of every alert fires in some case", () => {
    const fired = new Set(ALERT_CASES.flatMap((c) => c.expect.map((e) => `${c.alert}/${e.labels.severity}`)));
    const untested = rules.map((r) => `${r.alert}/${r.labels.severity}`).filter((key) => !fired.has(key));
    expect(untested).toEqual([]);
  });
});
