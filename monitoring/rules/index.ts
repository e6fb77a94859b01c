// The rule files Prometheus loads: file name → YAML. Recording groups come first in each concern
// so a reader meets the recorded series before the alerts that use them.
import { toYaml } from "../yaml";
import type { RulesInput } from "../types";
import { appAlertGroup } from "./app-alerts";
import { ruleContext } from "./context";
import { databaseAlertGroup } from "./database-alerts";
import { metaAlertGroup } from "./meta-alerts";
import { isAlert, type AlertRule, type RuleGroup } from "./model";
import { databaseRecordingGroup, httpRecordingGroup } from "./recording";
import { runtimeAlertGroup } from "./runtime-alerts";
import { sloAlertGroup, sloRecordingGroup } from "./slo";

export type { AlertRule, RecordingRule, Rule, RuleGroup, Severity } from "./model";
export { isAlert } from "./model";
export { BURN_RATES } from "./slo";
export { DEFAULT_THRESHOLDS } from "./context";

/** The rule groups by file name, as objects (for checks that read rules rather than YAML). */
export function ruleGroups(input: RulesInput): Record<string, RuleGroup[]> {
  const ctx = ruleContext(input);
  return {
    "http.rules.yml": [httpRecordingGroup(ctx), appAlertGroup(ctx)],
    "slo.rules.yml": [sloRecordingGroup(ctx), sloAlertGroup(ctx)],
    "runtime.rules.yml": [runtimeAlertGroup(ctx)],
    "database.rules.yml": [databaseRecordingGroup(ctx), databaseAlertGroup(ctx)],
    "monitoring.rules.yml": [metaAlertGroup(ctx)],
  };
}

export function renderRuleFiles(input: RulesInput): Record<string, string> {
  const files = ruleGroups(input);
  return Object.fromEntries(
    Object.entries(files).map(([name, groups]) => [
      name,
      toYaml(`Prometheus rules (${name}) for environment "${input.environment}".`, { groups }),
    ]),
  );
}

/** Every alerting rule (one entry per rule: an alert with two severities appears twice). */
export function alertRules(input: RulesInput): AlertRule[] {
  return Object.values(ruleGroups(input)).flatMap((groups) => groups.flatMap((g) => g.rules.filter(isAlert)));
}

/** Distinct alert names, sorted. */
export function alertNames(input: RulesInput): string[] {
  return [...new Set(alertRules(input).map((rule) => rule.alert))].sort();
}
