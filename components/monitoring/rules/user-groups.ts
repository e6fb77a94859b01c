// The user's own rule groups, made the way ours are: one file each, recording rules first, and
// every alert with a severity, a fixed summary, a description and a runbook link (the template's
// unless the alert gives its own).
import type { AlertRuleInput, RecordingRuleInput, RuleGroupInput } from "../types";
import { invalid, requireText } from "../validate";
import { checkAlertParts, withParts } from "./alert-parts";
import {
  fieldsOf,
  requireAlertName,
  requireGroupName,
  requireKnownKeys,
  requireList,
  requireRecordName,
  requireSeverity,
  requireStringMap,
  requireSummary,
} from "./checks";
import {
  defineAlert,
  isAlert,
  recordsOf,
  type AlertRule,
  type RecordingRule,
  type RuleContext,
  type RuleFile,
} from "./model";

const GROUP_FIELDS = fieldsOf<RuleGroupInput>({ name: true, records: true, alerts: true });
const RECORD_FIELDS = fieldsOf<RecordingRuleInput>({ record: true, expr: true, labels: true });

function userRecord(
  field: string,
  input: RecordingRuleInput,
  ours: ReadonlyMap<string, string>,
): RecordingRule {
  requireKnownKeys(field, input, RECORD_FIELDS);
  const record = requireRecordName(`${field}.record`, input.record);
  const owner = ours.get(record);
  if (owner !== undefined) {
    invalid(
      `${field}.record`,
      record,
      `a series of its own, but ${owner} records it (drop ours first: drop.records)`,
    );
  }
  const expr = requireText(`${field}.expr`, input.expr);
  const labels = requireStringMap(`${field}.labels`, input.labels);
  return { record, expr, ...(input.labels === undefined ? {} : { labels }) };
}

function userAlert(
  field: string,
  input: AlertRuleInput,
  ctx: RuleContext,
  ours: readonly string[],
): AlertRule {
  checkAlertParts(field, input, true);
  const name = requireAlertName(`${field}.alert`, input.alert);
  if (ours.includes(name)) {
    invalid(
      `${field}.alert`,
      name,
      `a name of its own, not one of our alerts (override ours: overrides.${name})`,
    );
  }
  const alert = defineAlert(ctx, {
    name,
    expr: requireText(`${field}.expr`, input.expr),
    severity: requireSeverity(`${field}.severity`, input.severity),
    summary: requireSummary(`${field}.summary`, input.summary),
    description: requireText(`${field}.description`, input.description),
    ...(input.for === undefined ? {} : { for: input.for }),
    ...(input.labels === undefined ? {} : { labels: input.labels }),
  });
  return withParts(alert, {
    ...(input.runbookUrl === undefined ? {} : { runbookUrl: input.runbookUrl }),
    ...(input.annotations === undefined ? {} : { annotations: input.annotations }),
  });
}

/** What the user's rules may not take: our kept alert names, and our kept recorded series by group. */
interface Ours {
  alerts: readonly string[];
  records: ReadonlyMap<string, string>;
}

function userGroup(field: string, input: RuleGroupInput, ctx: RuleContext, ours: Ours): RuleFile {
  requireKnownKeys(field, input, GROUP_FIELDS);
  const name = requireGroupName(`${field}.name`, input.name);
  const records = requireList(`${field}.records`, input.records).map((record, i) =>
    userRecord(`${field}.records[${i}]`, record, ours.records),
  );
  const alerts = requireList(`${field}.alerts`, input.alerts).map((alert, i) =>
    userAlert(`${field}.alerts[${i}]`, alert, ctx, ours.alerts),
  );
  if (records.length + alerts.length === 0) invalid(field, name, "expected a group with at least one rule");
  return { id: name, group: { name, rules: [...records, ...alerts] } };
}

/** The user's groups, after `kept` (our groups left after the drops): names must not clash. */
export function userGroups(
  groups: RuleGroupInput[] | undefined,
  kept: readonly RuleFile[],
  ctx: RuleContext,
): RuleFile[] {
  const ours: Ours = {
    alerts: kept.flatMap((file) => file.group.rules.filter(isAlert).map((rule) => rule.alert)),
    records: new Map(
      kept.flatMap((file) =>
        recordsOf(file.group.rules).map((record) => [record, `our group ${file.id}`] as const),
      ),
    ),
  };
  const taken = new Map<string, string>();
  for (const file of kept) {
    taken.set(file.id, `our group file ${file.id}.rules.yml`);
    taken.set(file.group.name, `our group ${file.group.name}`);
  }
  return requireList("groups", groups).map((input, i) => {
    const file = userGroup(`groups[${i}]`, input, ctx, ours);
    const clash = taken.get(file.id);
    if (clash !== undefined) invalid(`groups[${i}].name`, file.id, `a name of its own, but ${clash} has it`);
    taken.set(file.id, `groups[${i}]`);
    return file;
  });
}
