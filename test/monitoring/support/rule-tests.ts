// Alert unit tests as data: each case is a promtool test group (its own series) with one
// expectation on one alert at one time; `expect: []` means the alert must stay silent then.
import { stringify } from "yaml";
import {
  alertRules,
  isAlert,
  renderRuleFiles,
  ruleGroups,
  type AlertRule,
  type RulesInput,
} from "showcase-monitoring/monitoring";
import { run, writeTree, type CommandResult } from "./commands";
import { RUNBOOKS } from "./inputs";
import type { InputSeries, Labels } from "./series";

export interface ExpectedAlert {
  /** Every label but `alertname` (added from the case). */
  labels: Labels & { severity: string };
  description: string;
  /** Default `<RUNBOOKS>/<alert>.md`, where the test inputs' runbookBaseUrl links. */
  runbookUrl?: string;
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
                runbook_url: e.runbookUrl ?? `${RUNBOOKS}/${c.alert}.md`,
              },
            })),
          },
        ],
      })),
    },
    { lineWidth: 0 },
  );
}

/**
 * Runs `cases` against the rule files of `input` under `promtool test rules`: one test file per
 * rule file, loading only that file (promtool evaluates every loaded rule at every step of every
 * case, so this keeps the run to a few seconds).
 */
export function promtoolTest(input: RulesInput, cases: AlertCase[]): CommandResult {
  const rules = alertRules(input);
  const ruleFiles = renderRuleFiles(input);
  const files: Record<string, string> = {};
  for (const [file, groups] of Object.entries(ruleGroups(input))) {
    const names = new Set(groups.flatMap((g) => g.rules.filter(isAlert).map((r) => r.alert)));
    const own = cases.filter((c) => names.has(c.alert));
    if (own.length === 0) continue;
    files[`rules/${file}`] = ruleFiles[file] ?? "";
    files[`${file}.test.yml`] = promtoolTestFile(own, [`rules/${file}`], rules);
  }
  const dir = writeTree(files);
  const testFiles = Object.keys(files).filter((f) => f.endsWith(".test.yml"));
  return run("promtool", ["test", "rules", ...testFiles], dir);
}
