// The rule files Prometheus loads: file name → YAML. Each file is one group, recording rules
// first: rules of a group run in order at one timestamp, so an alert reads what the recording rules
// above it wrote in the same evaluation (across groups it would read the previous one's).
import { toYaml } from "../yaml";
import type { RulesInput } from "../types";
import { appAlerts } from "./app-alerts";
import { ruleContext } from "./context";
import { databaseAlerts } from "./database-alerts";
import { metaAlerts } from "./meta-alerts";
import { isAlert, type AlertRule, type RuleGroup } from "./model";
import { databaseRecordingRules, httpRecordingRules } from "./recording";
import { runtimeAlerts } from "./runtime-alerts";
import { sloAlerts, sloRecordingRules } from "./slo";

export type { AlertRule, RecordingRule, Rule, RuleGroup, Severity } from "./model";
export { isAlert } from "./model";
export { BURN_RATES } from "./slo";
export { DEFAULT_THRESHOLDS } from "./context";

/** The rule groups by file name, as objects (for checks that read rules rather than YAML). */
export function ruleGroups(input: RulesInput): Record<string, RuleGroup[]> {
  const ctx = ruleContext(input);
  const group = (name: string, ...rules: RuleGroup["rules"][]): RuleGroup[] => [
    { name, rules: rules.flat() },
  ];
  return {
    "http.rules.yml": group(`${ctx.job}.http`, httpRecordingRules(ctx), appAlerts(ctx)),
    "slo.rules.yml": group(`${ctx.job}.slo`, sloRecordingRules(ctx), sloAlerts(ctx)),
    "runtime.rules.yml": group(`${ctx.job}.runtime`, runtimeAlerts(ctx)),
    "database.rules.yml": group(`${ctx.job}.database`, databaseRecordingRules(ctx), databaseAlerts(ctx)),
    "monitoring.rules.yml": group("monitoring", metaAlerts(ctx)),
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
