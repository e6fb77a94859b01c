// Rules as the conventions want them: checked by promtool for every profile, alert names,
// severities and annotations, runbooks for every alert (and no orphan runbook), the app job in
// every app alert, input validation naming the bad field.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  alertNames,
  CLOUDWATCH_ALERT_NAMES,
  alertRules,
  isAlert,
  renderRuleFiles,
  ruleGroups,
  type RulesInput,
} from "showcase-monitoring/monitoring";
import { monitoringProfile, STACK_NAMES } from "../../tools/profiles";
import { removeTrees, run, writeTree } from "./support/commands";
import { RULES_INPUT, RUNBOOKS } from "./support/inputs";
import { parsePromql } from "./support/promql";

afterAll(removeTrees);

const RUNBOOK_DIR = join(__dirname, "../../docs/runbooks");
/** Jobs of the monitoring itself and of the app tasks' ecs_exporter sidecars, not the app's. */
const OTHER_JOBS = ['job="prometheus"', 'job="alertmanager"', 'job="ecs-exporter"'];
/** Alerts whose expression already spans a window, or that always fire: no `for`. */
const WITHOUT_FOR = ["SloAvailabilityBudgetBurn", "SloLatencyBudgetBurn", "AppTooManyRestarts", "Watchdog"];

describe("rule files", () => {
  it.each(STACK_NAMES)("pass promtool check rules for the %s profile", (stack) => {
    const files = renderRuleFiles(monitoringProfile(stack).rules);
    const dir = writeTree(files);
    const result = run("promtool", ["check", "rules", ...Object.keys(files)], dir);
    expect(result.status, result.output).toBe(0);
    expect(result.output.match(/SUCCESS/g)).toHaveLength(Object.keys(files).length);
  });

  it("hold one group each, with only a name and rules (no group labels, no query_offset)", () => {
    for (const text of Object.values(renderRuleFiles(RULES_INPUT))) {
      const { groups } = parse(text) as { groups: Record<string, unknown>[] };
      expect(groups).toHaveLength(1);
      expect(Object.keys(groups[0] ?? {}).sort()).toEqual(["name", "rules"]);
    }
  });

  it("name recorded series level:metric:operations", () => {
    const records = Object.values(ruleGroups(RULES_INPUT)).flatMap((groups) =>
      groups.flatMap((g) => g.rules.flatMap((r) => ("record" in r ? [r.record] : []))),
    );
    expect(records.length).toBeGreaterThan(10);
    expect(records.filter((name) => !/^[a-z_]+:[a-z0-9_]+:[a-z0-9_]+$/.test(name))).toEqual([]);
  });

  it("parse as PromQL, every expression", () => {
    const exprs = Object.values(ruleGroups(RULES_INPUT)).flatMap((groups) =>
      groups.flatMap((g) => g.rules.map((r) => r.expr)),
    );
    for (const expr of exprs) expect(() => parsePromql(expr)).not.toThrow();
  });
});

describe("alerts", () => {
  const rules = alertRules(RULES_INPUT);

  it.each(rules.map((r) => [`${r.alert}/${r.labels.severity}`, r] as const))(
    "%s follows the conventions",
    (_, rule) => {
      expect(rule.alert).toMatch(/^[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)*$/);
      expect(["critical", "warning", "info"]).toContain(rule.labels.severity);
      expect(Object.keys(rule.annotations).sort()).toEqual(["description", "runbook_url", "summary"]);
      expect(rule.annotations.summary).toMatch(/^[A-Z].*\.$/);
      expect(rule.annotations.summary).not.toContain("{{");
      expect(rule.annotations.description).toMatch(/\{\{ *\$(value|labels|externalLabels)/);
      expect(rule.annotations.runbook_url).toBe(`${RUNBOOKS}/${rule.alert}.md`);
      if (WITHOUT_FOR.includes(rule.alert)) expect(rule.for).toBeUndefined();
      else expect(rule.for).toBe("5m");
      if (rule.alert !== "Watchdog" && !OTHER_JOBS.some((job) => rule.expr.includes(job))) {
        expect(rule.expr).toContain('job="showcase-api"');
      }
    },
  );

  it("that share a name share their summary and differ in severity", () => {
    for (const name of alertNames(RULES_INPUT)) {
      const same = rules.filter((r) => r.alert === name);
      expect(new Set(same.map((r) => r.annotations.summary)).size).toBe(1);
      const severities = same.map((r) => r.labels.severity);
      if (same.every((r) => r.labels.slo === undefined))
        expect(new Set(severities).size).toBe(severities.length);
    }
  });

  it("select the configured app job and thresholds", () => {
    const input: RulesInput = {
      ...RULES_INPUT,
      appJob: "orders-api",
      thresholds: { errorRatio: 0.02, for: "2m" },
    };
    const custom = alertRules(input);
    const appAlerts = custom.filter(
      (r) => r.alert.startsWith("Api") || r.alert.startsWith("App") || r.alert.startsWith("Database"),
    );
    for (const rule of appAlerts) {
      expect(rule.expr).toContain('job="orders-api"');
      expect(rule.expr).not.toContain("showcase-api");
    }
    const errorRate = custom.find((r) => r.alert === "ApiHighErrorRate");
    expect(errorRate?.expr).toContain("> 0.02");
    expect(errorRate?.for).toBe("2m");
  });

  it.each([
    [
      { slo: { availability: 0.995, latency: 0.99, latencyThresholdSeconds: 1 } },
      "slo.latencyThresholdSeconds",
    ],
    [{ slo: { availability: 99.5, latency: 0.99, latencyThresholdSeconds: 0.5 } }, "slo.availability"],
    [{ thresholds: { errorRatio: 5 } }, "thresholds.errorRatio"],
    [{ thresholds: { latencyP99Seconds: -1 } }, "thresholds.latencyP99Seconds"],
    [{ thresholds: { for: "5 minutes" } }, "thresholds.for"],
    [{ thresholds: { errRatio: 0.1 } }, "thresholds.errRatio"],
    [{ runbookBaseUrl: "docs/runbooks" }, "runbookBaseUrl"],
    [{ appJob: " " }, "appJob"],
  ] as [Partial<RulesInput>, string][])("reject bad input %j naming %s", (override, field) => {
    expect(() => renderRuleFiles({ ...RULES_INPUT, ...override })).toThrow(
      new RegExp(`^${field.replace(".", "\\.")}: `),
    );
  });
});

describe("runbooks", () => {
  const runbooks = readdirSync(RUNBOOK_DIR).filter((f) => f.endsWith(".md") && f !== "README.md");

  it("exist for every alert, and every runbook belongs to an alert", () => {
    // Prometheus's alerts, and Grafana's on CloudWatch.
    const names = [...alertNames(RULES_INPUT), ...Object.values(CLOUDWATCH_ALERT_NAMES)];
    expect(names.filter((name) => !existsSync(join(RUNBOOK_DIR, `${name}.md`)))).toEqual([]);
    expect(runbooks.map((f) => f.replace(/\.md$/, "")).filter((name) => !names.includes(name))).toEqual([]);
  });

  it.each(runbooks)("%s says what it means, how to check and how to fix, with valid PromQL", (file) => {
    const text = readFileSync(join(RUNBOOK_DIR, file), "utf8");
    expect(text.startsWith(`# ${file.replace(/\.md$/, "")}\n`)).toBe(true);
    for (const section of ["## Meaning", "## How to check", "## How to fix"]) expect(text).toContain(section);
    const blocks = [...text.matchAll(/```promql\n([\s\S]*?)```/g)].flatMap((m) =>
      (m[1] ?? "").trim().split("\n"),
    );
    for (const query of blocks) expect(() => parsePromql(query.trim())).not.toThrow();
  });
});

describe("alert rules are all alerts", () => {
  it("ruleGroups and alertRules agree", () => {
    const fromGroups = Object.values(ruleGroups(RULES_INPUT)).flatMap((g) =>
      g.flatMap((x) => x.rules.filter(isAlert)),
    );
    expect(fromGroups).toEqual(alertRules(RULES_INPUT));
  });
});
