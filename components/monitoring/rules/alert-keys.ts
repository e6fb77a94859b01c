// How the user names one of our alerts: `Name` (every rule of that name) or `Name/severity` (one
// tier of an alert that has several, e.g. AppTargetDown/critical).
import { invalid } from "../validate";
import type { AlertRule } from "./model";

export interface AlertKey {
  name: string;
  /** The tier's severity as we define it; undefined for every tier. */
  severity?: string;
}

export function matchesKey(key: AlertKey, rule: AlertRule): boolean {
  return rule.alert === key.name && (key.severity === undefined || rule.labels.severity === key.severity);
}

/** `key` checked against our alerts: an unknown name or tier is an error naming `field`. */
export function resolveAlertKey(field: string, key: string, ours: readonly AlertRule[]): AlertKey {
  const [name = "", severity, ...rest] = String(key).split("/");
  const rules = ours.filter((rule) => rule.alert === name);
  if (rules.length === 0 || rest.length > 0) {
    const names = [...new Set(ours.map((rule) => rule.alert))].sort();
    invalid(field, key, `expected one of our alerts, as Name or Name/severity: ${names.join(", ")}`);
  }
  if (severity === undefined) return { name };
  if (!rules.some((rule) => rule.labels.severity === severity)) {
    const severities = [...new Set(rules.map((rule) => rule.labels.severity))];
    invalid(field, key, `expected a severity that ${name} has: ${severities.join(", ")}`);
  }
  return { name, severity };
}
