// The parts of an alert a user sets, on our alerts (overrides) and on their own: checked the same
// way, and applied the same way (unset parts keep the rule's own).
import type { AlertOverride } from "../types";
import { durationMs, requireText } from "../validate";
import {
  fieldsOf,
  requireKnownKeys,
  requireSeverity,
  requireStringMap,
  requireSummary,
  RESERVED_ANNOTATIONS,
  RESERVED_LABELS,
} from "./checks";
import type { AlertRule } from "./model";
import { requireRunbookUrl } from "./runbook";

const ALERT_PARTS = fieldsOf<AlertOverride>({
  expr: true,
  for: true,
  severity: true,
  summary: true,
  description: true,
  runbookUrl: true,
  labels: true,
  annotations: true,
});

/** Checks the parts `parts` sets; `alert` allows the field of a user's alert that names it. */
export function checkAlertParts(field: string, parts: AlertOverride, alert = false): void {
  requireKnownKeys(field, parts, alert ? ["alert", ...ALERT_PARTS] : ALERT_PARTS);
  if (parts.expr !== undefined) requireText(`${field}.expr`, parts.expr);
  if (parts.for !== undefined) durationMs(`${field}.for`, parts.for);
  if (parts.severity !== undefined) requireSeverity(`${field}.severity`, parts.severity);
  if (parts.summary !== undefined) requireSummary(`${field}.summary`, parts.summary);
  if (parts.description !== undefined) requireText(`${field}.description`, parts.description);
  if (parts.runbookUrl !== undefined) requireRunbookUrl(`${field}.runbookUrl`, parts.runbookUrl);
  requireStringMap(`${field}.labels`, parts.labels, RESERVED_LABELS);
  requireStringMap(`${field}.annotations`, parts.annotations, RESERVED_ANNOTATIONS);
}

/** `rule` with `parts` applied; without parts, the same rule (same keys, same order). */
export function withParts(rule: AlertRule, parts: AlertOverride): AlertRule {
  const forDuration = parts.for ?? rule.for;
  return {
    alert: rule.alert,
    expr: parts.expr ?? rule.expr,
    ...(forDuration === undefined ? {} : { for: forDuration }),
    labels: { ...rule.labels, ...parts.labels, severity: parts.severity ?? rule.labels.severity },
    annotations: {
      ...rule.annotations,
      summary: parts.summary ?? rule.annotations.summary,
      description: parts.description ?? rule.annotations.description,
      runbook_url: parts.runbookUrl ?? rule.annotations.runbook_url,
      ...parts.annotations,
    },
  };
}
