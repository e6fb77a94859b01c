// AlertingRules passes RulesInput through as it is: the rule files of docs/rules.md's example
// (overrides, drops and a group of the user's) are its ruleFiles, as the generator renders them.
import { expect, it } from "vitest";
import { renderRuleFiles } from "showcase-monitoring/monitoring";
import { rules } from "../monitoring/examples/custom-rules";
import { placement } from "./fixtures";
import { installMocks, settle } from "./harness";

it("AlertingRules owns the rule files of customized rules", async () => {
  const recorder = await installMocks({ stack: "test" });
  const { AlertingRules } = await import("showcase-monitoring");
  const component = new AlertingRules("alertmanager", { ...placement, rules, receivers: {} });
  await settle(recorder);
  expect(component.ruleFiles).toEqual(renderRuleFiles(rules));
  expect(Object.keys(component.ruleFiles).sort()).toEqual([
    "http.rules.yml",
    "monitoring.rules.yml",
    "orders.rules.yml",
    "runtime.rules.yml",
    "slo.rules.yml",
  ]);
});
