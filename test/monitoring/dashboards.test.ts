// Dashboard lint: every query parses as PromQL (Lezer grammar) and passes the tested Prometheus's own
// parser (promtool), counters only inside rate/increase/irate over $__rate_interval (or $__range),
// every panel described and with a unit, unique uids and panel ids, data sources and job/instance
// as variables, links between all dashboards, and the helpers the end-to-end test uses.
import { afterAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { DATASOURCE_UIDS as PROVISIONED_UIDS } from "showcase-monitoring";
import {
  buildDashboards,
  dashboardQueries,
  DATASOURCE_UIDS,
  ECS_EXPORTER_JOB,
  PROMETHEUS_JOB,
  resolveQuery,
  UIDS,
  type GrafanaDashboard,
  type Panel,
  type PrometheusTarget,
} from "showcase-monitoring/monitoring";
import { removeTrees, run, writeTree } from "./support/commands";
import { AWS } from "./support/dashboard-inputs";
import { parsePromql } from "./support/promql";

afterAll(removeTrees);

const dashboards = buildDashboards({ aws: AWS });
const BUILTIN = ["__rate_interval", "__interval", "__range"];
const COUNTER = /_(total|count|sum|bucket)$/;
/** prom-client gauges whose names end like counters (its own naming). */
const GAUGES_NAMED_LIKE_COUNTERS = [
  "nodejs_active_handles_total",
  "nodejs_active_requests_total",
  "nodejs_active_resources_total",
];
const RATE_FUNCTIONS = ["rate", "irate", "increase"];
/**
 * Jobs the Infrastructure dashboard selects by name instead of `$job`: Prometheus itself, and the
 * app tasks' ecs_exporter sidecars, by the variable that picks their tasks.
 */
const OWN_JOBS: { job: string; instance?: string }[] = [
  { job: `job="${PROMETHEUS_JOB}"` },
  { job: `job="${ECS_EXPORTER_JOB}"`, instance: "task" },
];

const promTargets = (d: GrafanaDashboard): { panel: Panel; target: PrometheusTarget }[] =>
  d.panels.flatMap((panel) =>
    panel.targets.flatMap((target) =>
      target.datasource.type === "prometheus" ? [{ panel, target: target as PrometheusTarget }] : [],
    ),
  );
const variables = (d: GrafanaDashboard) => d.templating.list.map((v) => v.name);
/** Grafana's own variables resolved, the dashboard's left as they are. */
const withRanges = (expr: string) =>
  resolveQuery(expr, { job: "$job", instance: "$instance", task: "$task" });

interface DataSourceRef {
  type?: string;
  uid?: string;
}

/** Every data-source reference: of panels, their queries, variables and annotations. */
function dataSourceRefs(d: GrafanaDashboard): { where: string; ref: DataSourceRef }[] {
  return [
    ...d.panels.flatMap((p) => [
      { where: p.title, ref: p.datasource },
      ...p.targets.map((t) => ({ where: `${p.title} ${t.refId}`, ref: t.datasource })),
    ]),
    ...d.templating.list.flatMap((v) =>
      v.datasource ? [{ where: `variable ${v.name}`, ref: v.datasource }] : [],
    ),
    ...(d.annotations.list ?? []).flatMap((a) =>
      a.datasource ? [{ where: `annotation ${a.name}`, ref: a.datasource }] : [],
    ),
  ];
}

/** Grafana's own annotations source: built in, not provisioned. */
const BUILT_IN = { type: "grafana", uid: "-- Grafana --" };

/** The provisioned uid a reference ends at, through the dashboard's datasource variable if it names one. */
function resolveDataSource(d: GrafanaDashboard, ref: DataSourceRef): string {
  if (ref.type === BUILT_IN.type && ref.uid === BUILT_IN.uid) return ref.uid;
  const type = ref.type ?? "";
  let uid = ref.uid ?? "";
  const name = /^\$\{(\w+)\}$/.exec(uid)?.[1];
  if (name !== undefined) {
    const variable = d.templating.list.find((v) => v.name === name && v.type === "datasource");
    if (!variable) throw new Error(`no datasource variable ${name}`);
    if (variable.query !== type) {
      throw new Error(
        `variable \${${name}} picks ${JSON.stringify(variable.query)} data sources, not ${type}`,
      );
    }
    uid = String(variable.current?.value);
  }
  const provisioned = (PROVISIONED_UIDS as Record<string, string>)[type];
  if (uid !== provisioned) {
    throw new Error(`uid ${uid} is not the provisioned ${type} data source (${provisioned ?? "none"})`);
  }
  return uid;
}

interface Selector {
  metric: string;
  text: string;
  /** The function applied to the range this selector sits in, if any. */
  rangeFunction: string | undefined;
}

function selectors(expr: string): Selector[] {
  const found: Selector[] = [];
  const top = parsePromql(expr);
  const cursor = top.cursor();
  do {
    if (cursor.name !== "VectorSelector") continue;
    const node = cursor.node;
    const name = node.getChild("Identifier");
    const matrix = node.parent?.name === "MatrixSelector" ? node.parent : null;
    const call = matrix?.parent?.name === "FunctionCallBody" ? matrix.parent.parent : null;
    const fn = call?.getChild("FunctionIdentifier");
    found.push({
      metric: name ? expr.slice(name.from, name.to) : "",
      text: expr.slice(node.from, node.to),
      rangeFunction: fn ? expr.slice(fn.from, fn.to) : undefined,
    });
  } while (cursor.next());
  return found;
}

describe("dashboards", () => {
  it("are the six of the brief, with stable, unique uids", () => {
    expect(dashboards.map((d) => d.uid)).toEqual(Object.values(UIDS));
    expect(new Set(dashboards.map((d) => d.uid)).size).toBe(6);
    for (const d of dashboards) expect(d.uid.length).toBeLessThanOrEqual(40);
    expect(buildDashboards({ appJob: "other" }).map((d) => d.uid)).toEqual(Object.values(UIDS));
  });

  it.each(dashboards.map((d) => [d.uid, d] as const))(
    "%s: panels have unique ids, a description, a unit and a place",
    (_, d) => {
      expect(d.panels.length).toBeGreaterThan(3);
      expect(new Set(d.panels.map((p) => p.id)).size).toBe(d.panels.length);
      for (const p of d.panels) {
        expect(p.description.length, p.title).toBeGreaterThan(10);
        expect(p.fieldConfig.defaults.unit, p.title).toMatch(/\S/);
        expect(p.targets.length, p.title).toBeGreaterThan(0);
        expect(p.gridPos.x + p.gridPos.w, p.title).toBeLessThanOrEqual(24);
      }
      for (const a of d.panels) {
        for (const b of d.panels) {
          if (a === b) continue;
          const overlap =
            a.gridPos.x < b.gridPos.x + b.gridPos.w &&
            b.gridPos.x < a.gridPos.x + a.gridPos.w &&
            a.gridPos.y < b.gridPos.y + b.gridPos.h &&
            b.gridPos.y < a.gridPos.y + a.gridPos.h;
          expect(overlap, `${a.title} overlaps ${b.title}`).toBe(false);
        }
      }
    },
  );

  it.each(dashboards.map((d) => [d.uid, d] as const))("%s: links to every other dashboard", (_, d) => {
    expect(d.links.map((l) => l.url).sort()).toEqual(
      dashboards
        .filter((o) => o.uid !== d.uid)
        .map((o) => `/d/${o.uid}`)
        .sort(),
    );
  });

  it.each(dashboards.map((d) => [d.uid, d] as const))(
    "%s: data sources and filters are variables",
    (_, d) => {
      const names = variables(d);
      for (const p of d.panels) {
        for (const ds of [p.datasource, ...p.targets.map((t) => t.datasource)]) {
          expect(ds.uid).toBe(`\${${ds.type}}`);
          expect(d.templating.list.find((v) => v.name === ds.type)).toMatchObject({
            type: "datasource",
            query: ds.type,
          });
        }
      }
      const used = JSON.stringify(d.panels).match(/\$\{?(\w+)/g) ?? [];
      for (const ref of used) expect([...names, ...BUILTIN], ref).toContain(ref.replace(/^\$\{?/, ""));
      if (promTargets(d).some(({ target }) => target.expr.includes('job="$job"')))
        expect(names).toContain("job");
    },
  );

  it("name the data sources by the uids the program provisions", () => {
    expect(DATASOURCE_UIDS).toEqual(PROVISIONED_UIDS);
  });

  it.each(dashboards.map((d) => [d.uid, d] as const))(
    "%s: every data-source reference resolves to a provisioned data source of its type",
    (_, d) => {
      const refs = dataSourceRefs(d);
      expect(refs.length).toBeGreaterThan(d.panels.length);
      for (const { where, ref } of refs) {
        expect(() => resolveDataSource(d, ref), where).not.toThrow();
      }
    },
  );

  it("the data-source check catches a wrong type, an unknown variable and an unprovisioned uid", () => {
    const [d] = dashboards;
    if (!d) throw new Error("no dashboards");
    expect(() => resolveDataSource(d, { type: "cloudwatch", uid: "${prometheus}" })).toThrow(
      /variable \$\{prometheus\} picks "prometheus" data sources, not cloudwatch/,
    );
    expect(() => resolveDataSource(d, { type: "prometheus", uid: "${nope}" })).toThrow(
      /no datasource variable nope/,
    );
    expect(() => resolveDataSource(d, { type: "prometheus", uid: "mimir" })).toThrow(
      /uid mimir is not the provisioned prometheus data source \(prometheus\)/,
    );
  });

  it.each(dashboards.filter((d) => promTargets(d).length > 0).map((d) => [d.uid, d] as const))(
    "%s: every query parses, filters by $job (and $instance) or a job of its own, rates counters over $__rate_interval",
    (_, d) => {
      const perInstance = variables(d).includes("instance");
      for (const { panel, target } of promTargets(d)) {
        const where = `${panel.title}: ${target.expr}`;
        for (const range of target.expr.match(/\[[^\]]*\]/g) ?? [])
          expect(["[$__rate_interval]", "[$__range]"], where).toContain(range);
        const found = selectors(withRanges(target.expr));
        expect(found.length, where).toBeGreaterThan(0);
        for (const s of found) {
          const job = OWN_JOBS.find((own) => s.text.includes(own.job));
          if (job === undefined) {
            expect(s.text, where).toContain('job="$job"');
            if (perInstance && !s.metric.includes(":"))
              expect(s.text, where).toContain('instance=~"$instance"');
          } else if (job.instance !== undefined) {
            expect(variables(d), where).toContain(job.instance);
            expect(s.text, where).toContain(`instance=~"$${job.instance}"`);
          }
          if (COUNTER.test(s.metric) && !GAUGES_NAMED_LIKE_COUNTERS.includes(s.metric)) {
            expect(RATE_FUNCTIONS, `${where}: counter ${s.metric} outside rate/increase`).toContain(
              s.rangeFunction,
            );
          }
        }
      }
    },
  );

  it("every query is accepted by the tested Prometheus (promtool check rules on them as recording rules)", () => {
    const queries = dashboardQueries(dashboards);
    const rules = queries.map((q, i) => ({
      record: `dashboard:query:${i}`,
      expr: resolveQuery(q.expr, { job: "showcase-api" }),
    }));
    const dir = writeTree({ "queries.yml": stringify({ groups: [{ name: "dashboards", rules }] }) });
    const result = run("promtool", ["check", "rules", "queries.yml"], dir);
    expect(result.status, result.output).toBe(0);
    expect(result.output).toContain(`SUCCESS: ${queries.length} rules found`);
  });

  it("the lint catches what it is meant to catch", () => {
    expect(() => parsePromql("sum(rate(http_requests_total[1m])")).toThrow(/syntax error/);
    const [bare] = selectors('http_requests_total{job="$job"}');
    expect(bare?.rangeFunction).toBeUndefined();
    const [wrapped] = selectors('sum(increase(http_requests_total{job="$job"}[1m]))');
    expect(wrapped?.rangeFunction).toBe("increase");
    const [other] = selectors('max_over_time(http_requests_total{job="$job"}[1m])');
    expect(other?.rangeFunction).toBe("max_over_time");
  });

  it("fill the Infrastructure dashboard's CloudWatch dimensions from the stack", () => {
    const infra = dashboards.find((d) => d.uid === UIDS.infrastructure);
    const current = Object.fromEntries(
      (infra?.templating.list ?? []).filter((v) => v.type === "textbox").map((v) => [v.name, v.query]),
    );
    expect(current).toEqual({
      region: "eu-west-1",
      cluster: "showcase-prod",
      service: "app",
      load_balancer: "app/showcase/0123456789abcdef",
      target_group: "targetgroup/app/0123456789abcdef",
      db_instance: "showcase-db",
      prometheus_service: "prometheus",
      prometheus_file_system: "fs-0123456789abcdef0",
    });
    const namespaces = new Set(
      infra?.panels.flatMap((p) => p.targets.flatMap((t) => ("namespace" in t ? [t.namespace] : []))),
    );
    expect([...namespaces].sort()).toEqual([
      "AWS/ApplicationELB",
      "AWS/ECS",
      "AWS/EFS",
      "AWS/RDS",
      "ECS/ContainerInsights",
    ]);
  });

  it("survive a JSON round trip unchanged (what Grafana stores)", () => {
    expect(JSON.parse(JSON.stringify(dashboards))).toEqual(dashboards);
  });
});

describe("dashboardQueries and resolveQuery (for the end-to-end test)", () => {
  it("list every Prometheus query with its dashboard and panel", () => {
    const queries = dashboardQueries(dashboards);
    expect(queries).toHaveLength(dashboards.reduce((n, d) => n + promTargets(d).length, 0));
    expect(queries).toContainEqual(
      expect.objectContaining({ dashboard: UIDS.overview, panel: "Top endpoints", instant: true }),
    );
    expect(new Set(queries.map((q) => q.dashboard))).toEqual(new Set(Object.values(UIDS)));
  });

  it("substitute the variables Grafana would", () => {
    expect(
      resolveQuery(
        'rate(x{job="$job",instance=~"${instance}"}[$__rate_interval]) + increase(x[$__range]) + y[$__interval]',
        {
          job: "api",
          rateInterval: "20s",
          range: "5m",
          interval: "5s",
        },
      ),
    ).toBe('rate(x{job="api",instance=~".*"}[20s]) + increase(x[5m]) + y[5s]');
    expect(() => resolveQuery('x{a="$nope"}', { job: "api" })).toThrow(/unknown template variable \$nope/);
  });
});
