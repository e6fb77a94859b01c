// `promtool test rules` on every alert: each fires with its exact labels and annotations when it
// should, and stays silent when it should not (cases in ./cases). One promtool run for all cases.
import { afterAll, describe, expect, it } from "vitest";
import { alertNames, alertRules } from "showcase-monitoring/monitoring";
import { ALERT_CASES, ALWAYS_FIRING } from "./cases";
import { removeTrees } from "./support/commands";
import { RULES_INPUT } from "./support/inputs";
import { promtoolTest, type AlertCase } from "./support/rule-tests";

afterAll(removeTrees);

const rules = alertRules(RULES_INPUT);

describe("alert rules under promtool test rules", () => {
  it("every case passes", () => {
    const result = promtoolTest(RULES_INPUT, ALERT_CASES);
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
    const result = promtoolTest(RULES_INPUT, [broken, silenced]);
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
