// Alert unit tests as data: each case is a promtool test group (its own series) with one
// expectation on one alert at one time; `expect: []` means the alert must stay silent then.
import { stringify } from "yaml";
import type { AlertRule } from "showcase-monitoring/monitoring";
import { RUNBOOKS } from "./inputs";
import type { InputSeries, Labels } from "./series";

export interface ExpectedAlert {
  /** Every label but `alertname` (added from the case). */
  labels: Labels & { severity: string };
  description: string;
}

export interface AlertCase {
  name: string;
  alert: string;
  evalTime: string;
  series: InputSeries[];
  expect: ExpectedAlert[];
}

export const INTERVAL = "1m";

function summaryOf(rules: AlertRule[], alert: string, severity: string): string {
  const rule = rules.find((r) => r.alert === alert && r.labels.severity === severity);
  if (!rule) throw new Error(`test case expects ${alert} with severity ${severity}, which no rule defines`);
  return rule.annotations.summary;
}

/** The YAML of a promtool test file running every case against `ruleFiles`. */
export function promtoolTestFile(cases: AlertCase[], ruleFiles: string[], rules: AlertRule[]): string {
  return stringify(
    {
      rule_files: ruleFiles,
      evaluation_interval: INTERVAL,
      tests: cases.map((c) => ({
        name: `${c.alert}: ${c.name}`,
        interval: INTERVAL,
        external_labels: { env: "test" },
        input_series: c.series,
        alert_rule_test: [
          {
            eval_time: c.evalTime,
            alertname: c.alert,
            exp_alerts: c.expect.map((e) => ({
              exp_labels: { alertname: c.alert, ...e.labels },
              exp_annotations: {
                summary: summaryOf(rules, c.alert, e.labels.severity),
                description: e.description,
                runbook_url: `${RUNBOOKS}/${c.alert}.md`,
              },
            })),
          },
        ],
      })),
    },
    { lineWidth: 0 },
  );
}
