// The rule-file model (what Prometheus reads) and the one way alerts are made here, so every alert
// carries severity, a fixed summary, a templated description and its runbook link.
import type { AlertThresholds, SloInput } from "../types";

export type Severity = "critical" | "warning" | "info";

export interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  labels: { severity: Severity } & Record<string, string>;
  annotations: { summary: string; description: string; runbook_url: string };
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
  runbookBaseUrl: string;
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

export function defineAlert(ctx: RuleContext, spec: AlertSpec): AlertRule {
  return {
    alert: spec.name,
    expr: spec.expr,
    ...(spec.for === undefined ? {} : { for: spec.for }),
    labels: { severity: spec.severity, ...spec.labels },
    annotations: {
      summary: spec.summary,
      description: spec.description,
      runbook_url: `${ctx.runbookBaseUrl}/${spec.name}.md`,
    },
  };
}
