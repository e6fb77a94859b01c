// The rule-file model (what Prometheus reads) and the one way alerts are made here, so every alert
// carries severity, a fixed summary, a templated description and its runbook link.
import type { AlertThresholds, SloInput } from "../types";
import { runbookUrl } from "./runbook";

export type Severity = "critical" | "warning" | "info";

export interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels: { severity: Severity } & Record<string, string>;
  annotations: { summary: string; description: string; runbook_url: string } & Record<string, string>;
}

export interface RecordingRule {
  record: string;
  expr: string;
  labels?: Record<string, string>;
}

export type Rule = AlertRule | RecordingRule;

export interface RuleGroup {
  name: string;
  rules: Rule[];
}

/** Validated inputs with every default filled in: what the rule builders read. */
export interface RuleContext {
  job: string;
  thresholds: Required<AlertThresholds>;
  slo: SloInput;
  /** Runbook URL with `{{alertname}}` for the alert's name. */
  runbookTemplate: string;
}

export interface AlertSpec {
  name: string;
  severity: Severity;
  expr: string;
  /** Omitted for alerts whose expression already spans a window (burn rates, counts per hour). */
  for?: string;
  summary: string;
  description: string;
  labels?: Record<string, string>;
}

export function isAlert(rule: Rule): rule is AlertRule {
  return "alert" in rule;
}

/** The recorded series names `rules` write. */
export function recordsOf(rules: readonly Rule[]): string[] {
  return rules.flatMap((rule) => ("record" in rule ? [rule.record] : []));
}

export function defineAlert(ctx: RuleContext, spec: AlertSpec): AlertRule {
  return {
    alert: spec.name,
    expr: spec.expr,
    ...(spec.for === undefined ? {} : { for: spec.for }),
    labels: { severity: spec.severity, ...spec.labels },
    annotations: {
      summary: spec.summary,
      description: spec.description,
      runbook_url: runbookUrl(ctx.runbookTemplate, spec.name),
    },
  };
}

/** One rule file: a single group, written to `<id>.rules.yml`. */
export interface RuleFile {
  /** Our groups: http, slo, runtime, database, monitoring; a user's group: its name. */
  id: string;
  group: RuleGroup;
}
