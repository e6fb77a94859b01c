// The rule files Prometheus loads: file name → YAML. Each file is one group, recording rules
// first: rules of a group run in order at one timestamp, so an alert reads what the recording rules
// above it wrote in the same evaluation (across groups it would read the previous one's).
import { toYaml } from "../yaml";
import type { RulesInput } from "../types";
import { appAlerts } from "./app-alerts";
import { containerAlerts } from "./container-alerts";
import { ruleContext } from "./context";
import { databaseAlerts } from "./database-alerts";
import { resolveDrops, withoutDropped } from "./drops";
import { metaAlerts } from "./meta-alerts";
import { isAlert, type AlertRule, type RuleContext, type RuleFile, type RuleGroup } from "./model";
import { applyOverrides } from "./overrides";
import { requireDroppedSeriesUnread } from "./reads";
import { databaseRecordingRules, httpRecordingRules } from "./recording";
import { runtimeAlerts } from "./runtime-alerts";
import { sloAlerts, sloRecordingRules } from "./slo";
import { userGroups } from "./user-groups";

export type { AlertRule, RecordingRule, Rule, RuleGroup, Severity } from "./model";
export { isAlert } from "./model";
export { BURN_RATES } from "./slo";
export { DEFAULT_THRESHOLDS } from "./context";
export { ALERTNAME_PLACEHOLDER, DEFAULT_RUNBOOK_PATH } from "./runbook";

// Our groups, by the id that names their file (and that `drop.groups` takes).
const OUR_GROUPS = {
  http: (ctx: RuleContext): RuleGroup => ({
    name: `${ctx.job}.http`,
    rules: [...httpRecordingRules(ctx), ...appAlerts(ctx)],
  }),
  slo: (ctx: RuleContext): RuleGroup => ({
    name: `${ctx.job}.slo`,
    rules: [...sloRecordingRules(ctx), ...sloAlerts(ctx)],
  }),
  // The app's processes and the containers of its tasks (ecs_exporter) against their limits.
  runtime: (ctx: RuleContext): RuleGroup => ({
    name: `${ctx.job}.runtime`,
    rules: [...runtimeAlerts(ctx), ...containerAlerts(ctx)],
  }),
  database: (ctx: RuleContext): RuleGroup => ({
    name: `${ctx.job}.database`,
    rules: [...databaseRecordingRules(ctx), ...databaseAlerts(ctx)],
  }),
  monitoring: (ctx: RuleContext): RuleGroup => ({ name: "monitoring", rules: metaAlerts(ctx) }),
};

/** The ids of our groups: each is the file `<id>.rules.yml`. */
export const RULE_GROUP_IDS = Object.keys(OUR_GROUPS) as (keyof typeof OUR_GROUPS)[];

/**
 * The rule groups by file name, as objects (for checks that read rules rather than YAML): ours,
 * less what `drop` leaves out, with `overrides` applied, then the user's `groups`.
 */
export function ruleGroups(input: RulesInput): Record<string, RuleGroup[]> {
  const ctx = ruleContext(input);
  const ours: RuleFile[] = RULE_GROUP_IDS.map((id) => ({ id, group: OUR_GROUPS[id](ctx) }));
  const drops = resolveDrops(input.drop, ours);
  const kept = applyOverrides(withoutDropped(ours, drops), input.overrides, ours, drops);
  const result = [...kept, ...userGroups(input.groups, kept, ctx)];
  requireDroppedSeriesUnread(ours, drops, result, {
    deployed: input.dashboardsDeployed ?? true,
    job: ctx.job,
  });
  return Object.fromEntries(result.map((file) => [`${file.id}.rules.yml`, [file.group]]));
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
