// Rules as data: the user's overrides, drops and own groups. The example of docs/rules.md passes
// promtool check rules and alert tests that show each change at work (next to the same cases
// against our defaults); without changes the files stay as they were; bad input gets an error
// naming its field.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  AlertSeverity,
  alertNames,
  alertRules,
  HTTP_DURATION_BUCKETS,
  isAlert,
  renderRuleFiles,
  ruleGroups,
  RULE_GROUP_IDS,
  type AlertRule,
  type RulesInput,
} from "showcase-monitoring/monitoring";
import { rules as EXAMPLE } from "./examples/custom-rules";
import { removeTrees, run, writeTree } from "./support/commands";
import { JOB, RULES_INPUT, RUNBOOKS } from "./support/inputs";
import { promtoolTest, type AlertCase } from "./support/rule-tests";
import { counter, histogram, type Labels } from "./support/series";

afterAll(removeTrees);

const EXAMPLE_RUNBOOK = (alert: string) => `https://runbooks.example.com/showcase/${alert}`;
const api = (status: string): Labels => ({
  job: JOB,
  instance: "a:9464",
  method: "GET",
  route: "/api/projects",
  status_code: status,
});
/** 600 requests a minute, 10% of them 5xx. */
const failing = [
  counter("http_requests_total", api("200"), 540),
  counter("http_requests_total", api("500"), 60),
];
/** 2 requests/s, p99 at 2.05 s (4 of 120 a minute between 1 and 2.5 s). */
const slowAtLowTraffic = [
  counter("http_requests_total", api("200"), 120),
  ...histogram("http_request_duration_seconds", api("200"), HTTP_DURATION_BUCKETS, { 0.1: 116, 2.5: 4 }),
];
const errorDescription =
  "10% of API requests of showcase-api failed with a 5xx status over the last 5m (threshold 5%).";

function rulesOf(input: RulesInput, name: string): AlertRule[] {
  return alertRules(input).filter((rule) => rule.alert === name);
}

describe("the example of docs/rules.md", () => {
  it("passes promtool check rules: the user's group in a file of its own, the dropped group gone", () => {
    const files = renderRuleFiles(EXAMPLE);
    expect(Object.keys(files).sort()).toEqual([
      "http.rules.yml",
      "monitoring.rules.yml",
      "orders.rules.yml",
      "runtime.rules.yml",
      "slo.rules.yml",
    ]);
    const result = run("promtool", ["check", "rules", ...Object.keys(files)], writeTree(files));
    expect(result.status, result.output).toBe(0);
    expect(result.output.match(/SUCCESS/g)).toHaveLength(5);
    const { groups } = parse(files["orders.rules.yml"] ?? "") as {
      groups: { name: string; rules: object[] }[];
    };
    expect(groups.map((g) => g.name)).toEqual(["orders"]);
    expect(groups[0]?.rules.map((r) => Object.keys(r)[0])).toEqual(["record", "alert"]);
  });

  it("is what the page shows", () => {
    const page = readFileSync(join(__dirname, "../../docs/rules.md"), "utf8");
    const file = readFileSync(join(__dirname, "examples/custom-rules.ts"), "utf8");
    expect(page).toContain("```ts\n" + file + "```\n");
  });

  it("keeps our other alerts, leaves the dropped ones out and adds the user's", () => {
    const names = alertNames(EXAMPLE);
    expect(names).toContain("OrdersFailing");
    expect(names).not.toContain("ApiHighLatencyP90");
    expect(names.filter((name) => name.startsWith("Database"))).toEqual([]);
    const kept = alertNames(RULES_INPUT).filter(
      (name) => name !== "ApiHighLatencyP90" && !name.startsWith("Database"),
    );
    expect(names).toEqual([...kept, "OrdersFailing"].sort());
  });

  it("links every alert to the runbook the template gives", () => {
    for (const rule of alertRules(EXAMPLE))
      expect(rule.annotations.runbook_url).toBe(EXAMPLE_RUNBOOK(rule.alert));
  });

  it("adds an annotation to one tier of AppTargetDown only", () => {
    const [warning, critical] = rulesOf(EXAMPLE, "AppTargetDown");
    expect(warning?.labels.severity).toBe("warning");
    expect(warning?.annotations).not.toHaveProperty("dashboard");
    expect(critical?.annotations).toMatchObject({
      summary: rulesOf(RULES_INPUT, "AppTargetDown")[1]?.annotations.summary,
      dashboard: "https://grafana.example.com/d/showcase-overview",
    });
  });
});

describe("overrides and user alerts under promtool test rules", () => {
  const defaults: AlertCase[] = [
    {
      name: "10% of requests fail for 9 minutes (for: 5m)",
      alert: "ApiHighErrorRate",
      evalTime: "9m",
      series: failing,
      expect: [{ labels: { severity: "critical", job: JOB }, description: errorDescription }],
    },
    {
      name: "p99 at 2.05 s at 2 requests/s (traffic guard 0.1/s)",
      alert: "ApiHighLatencyP99",
      evalTime: "15m",
      series: slowAtLowTraffic,
      expect: [
        {
          labels: { severity: "warning", job: JOB },
          description:
            "The p99 latency of API requests of showcase-api is 2.05s over the last 5m (threshold 1s).",
        },
      ],
    },
  ];
  const customized: AlertCase[] = [
    {
      name: "10% of requests fail for 9 minutes (for: 10m)",
      alert: "ApiHighErrorRate",
      evalTime: "9m",
      series: failing,
      expect: [],
    },
    {
      name: "10% of requests fail for 15 minutes (severity warning, team api)",
      alert: "ApiHighErrorRate",
      evalTime: "15m",
      series: failing,
      expect: [
        {
          labels: { severity: "warning", job: JOB, team: "api" },
          description: errorDescription,
          runbookUrl: EXAMPLE_RUNBOOK("ApiHighErrorRate"),
        },
      ],
    },
    {
      name: "p99 at 2.05 s at 2 requests/s (traffic guard 5/s)",
      alert: "ApiHighLatencyP99",
      evalTime: "15m",
      series: slowAtLowTraffic,
      expect: [],
    },
    {
      name: "1 order/s fails",
      alert: "OrdersFailing",
      evalTime: "10m",
      series: [counter("orders_failed_total", { job: JOB, instance: "a:9464" }, 60)],
      expect: [
        {
          labels: { severity: "critical", job: JOB, team: "orders" },
          description: "1 orders/s of showcase-api failed over the last 5m.",
          runbookUrl: EXAMPLE_RUNBOOK("OrdersFailing"),
        },
      ],
    },
    {
      name: "0.2 orders/s fail",
      alert: "OrdersFailing",
      evalTime: "10m",
      series: [counter("orders_failed_total", { job: JOB, instance: "a:9464" }, 12)],
      expect: [],
    },
  ];

  it("our defaults fire on these series", () => {
    const result = promtoolTest(RULES_INPUT, defaults);
    expect(result.status, result.output).toBe(0);
  });

  it("the example's overrides fire later, with the new severity and labels, and its own alert fires", () => {
    const result = promtoolTest(EXAMPLE, customized);
    expect(result.status, result.output).toBe(0);
    expect(result.output).toContain("SUCCESS");
  });
});

describe("without changes", () => {
  it("empty overrides, drops and groups render the same files as none", () => {
    expect(renderRuleFiles({ ...RULES_INPUT, overrides: {}, drop: {}, groups: [] })).toEqual(
      renderRuleFiles(RULES_INPUT),
    );
  });

  it("an override repeating our values renders the same files", () => {
    const same = { for: "5m", severity: AlertSeverity.Critical };
    expect(renderRuleFiles({ ...RULES_INPUT, overrides: { ApiHighErrorRate: same } })).toEqual(
      renderRuleFiles(RULES_INPUT),
    );
  });

  it("runbookUrlTemplate <base>/{{alertname}}.md renders what runbookBaseUrl <base> renders", () => {
    const { runbookBaseUrl: _, ...rest } = RULES_INPUT;
    expect(renderRuleFiles({ ...rest, runbookUrlTemplate: `${RUNBOOKS}/{{alertname}}.md` })).toEqual(
      renderRuleFiles(RULES_INPUT),
    );
  });
});

describe("overrides", () => {
  it("by name change every tier; by Name/severity one tier, which wins over the name's", () => {
    const input: RulesInput = {
      ...RULES_INPUT,
      overrides: {
        "AppTargetDown/critical": { for: "2m" },
        AppTargetDown: { for: "1m", labels: { team: "platform" } },
      },
    };
    const [warning, critical] = rulesOf(input, "AppTargetDown");
    expect(warning).toMatchObject({ for: "1m", labels: { severity: "warning", team: "platform" } });
    expect(critical).toMatchObject({ for: "2m", labels: { severity: "critical", team: "platform" } });
    expect(rulesOf(input, "AppTargetAbsent")[0]?.for).toBe("5m");
  });

  it("select tiers by our severity, even when another override changes it", () => {
    const input: RulesInput = {
      ...RULES_INPUT,
      overrides: {
        "AppTargetDown/critical": { severity: AlertSeverity.Warning, labels: { tier: "all" } },
        "AppTargetDown/warning": { severity: AlertSeverity.Info },
      },
    };
    expect(rulesOf(input, "AppTargetDown").map((r) => r.labels)).toEqual([
      { severity: "info" },
      { severity: "warning", tier: "all" },
    ]);
  });

  it("give alerts without a `for` one, and an alert its own runbook", () => {
    const input: RulesInput = {
      ...RULES_INPUT,
      overrides: { Watchdog: { for: "1m", runbookUrl: "https://wiki.example.com/watchdog" } },
    };
    expect(rulesOf(input, "Watchdog")[0]).toMatchObject({
      for: "1m",
      annotations: { runbook_url: "https://wiki.example.com/watchdog" },
    });
  });
});

describe("drops", () => {
  it("of every alert of a group drop its file", () => {
    const runtime = (ruleGroups(RULES_INPUT)["runtime.rules.yml"] ?? []).flatMap((g) =>
      g.rules.filter(isAlert).map((r) => r.alert),
    );
    expect(runtime.length).toBeGreaterThan(3);
    const files = ruleGroups({ ...RULES_INPUT, drop: { alerts: [...new Set(runtime)] } });
    expect(Object.keys(files)).toEqual([
      "http.rules.yml",
      "slo.rules.yml",
      "database.rules.yml",
      "monitoring.rules.yml",
    ]);
  });

  it("of one tier keep the other", () => {
    const input: RulesInput = { ...RULES_INPUT, drop: { alerts: ["AppTargetDown/warning"] } };
    expect(rulesOf(input, "AppTargetDown").map((r) => r.labels.severity)).toEqual(["critical"]);
  });

  it("of a recorded series a user's rule writes again are allowed: the user's rule replaces ours", () => {
    const input: RulesInput = {
      ...RULES_INPUT,
      drop: { records: ["job:db_size_bytes:max"] },
      groups: [
        {
          name: "size",
          records: [{ record: "job:db_size_bytes:max", expr: "max by (job) (pg_database_size_bytes)" }],
        },
      ],
    };
    const files = ruleGroups(input);
    const records = (file: string) =>
      (files[file] ?? []).flatMap((g) => g.rules.flatMap((r) => ("record" in r ? [r.record] : [])));
    expect(records("database.rules.yml")).toEqual([]);
    expect(records("size.rules.yml")).toEqual(["job:db_size_bytes:max"]);
  });

  it("of a group our dashboards read are allowed when the dashboards are not deployed", () => {
    const input: RulesInput = { ...RULES_INPUT, drop: { groups: ["slo"] }, dashboardsDeployed: false };
    expect(Object.keys(ruleGroups(input))).not.toContain("slo.rules.yml");
    expect(RULE_GROUP_IDS).toEqual(["http", "slo", "runtime", "database", "monitoring"]);
  });
});

describe("user groups", () => {
  const group = (alert: Record<string, unknown>): RulesInput => ({
    ...RULES_INPUT,
    groups: [
      {
        name: "mine",
        alerts: [
          {
            alert: "QueueStuck",
            expr: "queue_depth > 100",
            severity: AlertSeverity.Warning,
            summary: "The queue is stuck.",
            description: "{{ $value }} jobs wait.",
            ...alert,
          },
        ],
      },
    ],
  });

  it("follow our conventions: severity, summary, description, runbook from the base URL, no `for` unless given", () => {
    const [rule] = rulesOf(group({}), "QueueStuck");
    expect(rule).toEqual({
      alert: "QueueStuck",
      expr: "queue_depth > 100",
      labels: { severity: "warning" },
      annotations: {
        summary: "The queue is stuck.",
        description: "{{ $value }} jobs wait.",
        runbook_url: `${RUNBOOKS}/QueueStuck.md`,
      },
    });
  });

  it("may give their own runbook, labels and annotations", () => {
    const [rule] = rulesOf(
      group({
        runbookUrl: "https://wiki.example.com/queue",
        labels: { team: "jobs" },
        annotations: { owner: "jobs" },
      }),
      "QueueStuck",
    );
    expect(rule?.labels).toEqual({ severity: "warning", team: "jobs" });
    expect(rule?.annotations).toMatchObject({ runbook_url: "https://wiki.example.com/queue", owner: "jobs" });
  });
});

const userAlert = {
  alert: "QueueStuck",
  expr: "queue_depth > 100",
  severity: AlertSeverity.Warning,
  summary: "The queue is stuck.",
  description: "{{ $value }} jobs wait.",
};
const withAlert = (fields: Record<string, unknown>) => ({
  groups: [{ name: "mine", alerts: [{ ...userAlert, ...fields }] }],
});
const withoutField = (field: keyof typeof userAlert) => {
  const { [field]: _, ...rest } = userAlert;
  return { groups: [{ name: "mine", alerts: [rest] }] };
};
const withRecord = (fields: Record<string, unknown>) => ({
  groups: [
    { name: "mine", records: [{ record: "job:queue_depth:max", expr: "max(queue_depth)", ...fields }] },
  ],
});
const noBase = { runbookBaseUrl: undefined };

describe("bad input", () => {
  it.each([
    [
      { overrides: { ApiHighErrorRat: { for: "10m" } } },
      "overrides.ApiHighErrorRat",
      "expected one of our alerts",
    ],
    [
      { overrides: { "ApiHighErrorRate/warning": {} } },
      "overrides.ApiHighErrorRate/warning",
      "has: critical",
    ],
    [
      { overrides: { ApiHighErrorRate: { for: "10 minutes" } } },
      "overrides.ApiHighErrorRate.for",
      "duration",
    ],
    [
      { overrides: { ApiHighErrorRate: { severity: "page" } } },
      "overrides.ApiHighErrorRate.severity",
      "critical, warning, info",
    ],
    [
      { overrides: { ApiHighErrorRate: { summary: "{{ $labels.job }} fails." } } },
      "overrides.ApiHighErrorRate.summary",
      "fixed sentence",
    ],
    [{ overrides: { ApiHighErrorRate: { expr: " " } } }, "overrides.ApiHighErrorRate.expr", "non-empty"],
    [
      { overrides: { ApiHighErrorRate: { labels: { severity: "critical" } } } },
      "overrides.ApiHighErrorRate.labels.severity",
      "severity field",
    ],
    [
      { overrides: { ApiHighErrorRate: { labels: { "team-name": "x" } } } },
      "overrides.ApiHighErrorRate.labels.team-name",
      "letters, digits",
    ],
    [
      { overrides: { ApiHighErrorRate: { annotations: { runbook_url: "x" } } } },
      "overrides.ApiHighErrorRate.annotations.runbook_url",
      "runbookUrl field",
    ],
    [
      { overrides: { ApiHighErrorRate: { runbookUrl: "wiki/ApiHighErrorRate" } } },
      "overrides.ApiHighErrorRate.runbookUrl",
      "URL",
    ],
    [
      { overrides: { ApiHighErrorRate: { threshold: 0.1 } } },
      "overrides.ApiHighErrorRate.threshold",
      "unknown field",
    ],
    [{ overrides: [] }, "overrides", "expected an object"],
    [
      { overrides: { Watchdog: { for: "1m" } }, drop: { alerts: ["Watchdog"] } },
      "overrides.Watchdog",
      "drop.alerts\\[0\\] drops it",
    ],
    [
      { overrides: { DatabaseSizeHigh: {} }, drop: { groups: ["database"] } },
      "overrides.DatabaseSizeHigh",
      'drop.groups\\[0\\] drops it \\(group "database"\\)',
    ],
    [{ drop: { alerts: ["Wachdog"] } }, "drop.alerts[0]", "expected one of our alerts"],
    [{ drop: { groups: ["db"] } }, "drop.groups[0]", "http, slo, runtime, database, monitoring"],
    [{ drop: { records: ["job:foo:rate5m"] } }, "drop.records[0]", "expected one of our recorded series"],
    [{ drop: { alert: ["Watchdog"] } }, "drop.alert", "unknown field"],
    [
      { drop: { records: ["job:http_requests:rate5m"] } },
      "drop.records[0]",
      "alert ApiHighErrorRate \\(group http\\)",
    ],
    [
      { drop: { groups: ["http"] } },
      "drop.groups[0]",
      "recording rule job:slo_error_budget_remaining:ratio_30d \\(group slo\\)",
    ],
    [
      { drop: { groups: ["slo"] } },
      "drop.groups[0]",
      "dashboard showcase-slo still reads: .*dashboardsDeployed: false",
    ],
    [
      { drop: { groups: ["database"] }, ...withAlert({ expr: "job:db_size_bytes:max > 1e9" }) },
      "drop.groups[0]",
      "alert QueueStuck \\(group mine\\)",
    ],
    [{ groups: {} }, "groups", "expected a list"],
    [{ groups: [{ name: "my group", alerts: [userAlert] }] }, "groups[0].name", "letters, digits"],
    [{ groups: [{ name: "http", alerts: [userAlert] }] }, "groups[0].name", "our group file http.rules.yml"],
    [
      { groups: [{ name: "showcase-api.http", alerts: [userAlert] }] },
      "groups[0].name",
      "our group showcase-api.http",
    ],
    [
      {
        groups: [
          { name: "a", alerts: [userAlert] },
          { name: "a", alerts: [userAlert] },
        ],
      },
      "groups[1].name",
      "groups\\[0\\] has it",
    ],
    [{ groups: [{ name: "empty" }] }, "groups[0]", "at least one rule"],
    [{ groups: [{ name: "a", rules: [] }] }, "groups[0].rules", "unknown field"],
    [withAlert({ alert: "queue_stuck" }), "groups[0].alerts[0].alert", "CamelCase"],
    [withAlert({ alert: "ApiHighErrorRate" }), "groups[0].alerts[0].alert", "overrides.ApiHighErrorRate"],
    [withAlert({ for: "0s" }), "groups[0].alerts[0].for", "above zero"],
    [withAlert({ severty: "warning" }), "groups[0].alerts[0].severty", "unknown field"],
    [
      withAlert({ annotations: { summary: "x" } }),
      "groups[0].alerts[0].annotations.summary",
      "summary field",
    ],
    [withoutField("severity"), "groups[0].alerts[0].severity", "critical, warning, info"],
    [withoutField("summary"), "groups[0].alerts[0].summary", "non-empty"],
    [withoutField("description"), "groups[0].alerts[0].description", "non-empty"],
    [withoutField("expr"), "groups[0].alerts[0].expr", "non-empty"],
    [
      withRecord({ record: "job:db_size_bytes:max" }),
      "groups[0].records[0].record",
      "our group database records it \\(drop ours first",
    ],
    [withRecord({ record: "queue_depth_max" }), "groups[0].records[0].record", "level:metric:operations"],
    [
      withRecord({ labels: { __name__: "x" } }),
      "groups[0].records[0].labels.__name__",
      "not starting with __",
    ],
    [
      { ...noBase, runbookUrlTemplate: "https://runbooks.example.com/" },
      "runbookUrlTemplate",
      "holding \\{\\{alertname\\}\\}",
    ],
    [
      { ...noBase, runbookUrlTemplate: "https://x.example/{{alertname}}/{{alert}}" },
      "runbookUrlTemplate",
      "unknown placeholder \\{\\{alert\\}\\}",
    ],
    [
      { ...noBase, runbookUrlTemplate: "ftp://x.example/{{alertname}}" },
      "runbookUrlTemplate",
      "scheme https or http",
    ],
    [{ runbookUrlTemplate: "https://x.example/{{alertname}}" }, "runbookUrlTemplate", "not both"],
    [noBase, "runbookBaseUrl", "runbookBaseUrl or runbookUrlTemplate"],
    [{ override: {} }, "override", "unknown field"],
    [{ dashboardsDeployed: "no" }, "dashboardsDeployed", "true or false"],
  ] as [Record<string, unknown>, string, string][])("%j: an error naming %s", (change, field, problem) => {
    const input: RulesInput = { ...RULES_INPUT, ...change };
    const escaped = field.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
    expect(() => renderRuleFiles(input)).toThrow(new RegExp(`^${escaped}: .*${problem}`));
  });
});
