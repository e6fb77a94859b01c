// Every CloudWatch query of the dashboards names a metric CloudWatch publishes in its namespace,
// with exactly one of the dimension sets it is published with (the queries match dimensions
// exactly), a statistic CloudWatch computes, and, where it needs Container Insights with enhanced
// observability (per task or per container), says so in its panel.
import { describe, expect, it } from "vitest";
import { buildDashboards, type CloudWatchTarget, type Panel } from "showcase-monitoring/monitoring";
import { ENHANCED_ONLY_DIMENSIONS, problem, PUBLISHED } from "./support/cloudwatch-metrics";
import { AWS } from "./support/dashboard-inputs";

const queries: { panel: Panel; target: CloudWatchTarget }[] = buildDashboards({ aws: AWS }).flatMap((d) =>
  d.panels.flatMap((panel) =>
    panel.targets.flatMap((t) =>
      t.datasource.type === "cloudwatch" ? [{ panel, target: t as CloudWatchTarget }] : [],
    ),
  ),
);

describe("CloudWatch queries of the dashboards", () => {
  it("exist, in every namespace the list covers", () => {
    expect(queries.length).toBeGreaterThan(40);
    expect(new Set(queries.map((q) => q.target.namespace))).toEqual(new Set(Object.keys(PUBLISHED)));
  });

  it.each(
    queries.map((q) => [`${q.panel.title} ${q.target.refId}: ${q.target.metricName}`, q.target] as const),
  )("%s is published with these dimensions", (_, target) => {
    expect(problem(target)).toBeUndefined();
  });

  it("say where they need Container Insights with enhanced observability", () => {
    const enhanced = queries.filter((q) => ENHANCED_ONLY_DIMENSIONS.some((d) => d in q.target.dimensions));
    expect(enhanced.length).toBeGreaterThan(5);
    for (const { panel } of enhanced)
      expect(panel.description, panel.title).toMatch(/enhanced observability/);
  });

  it("the check catches a wrong metric, dimension set and statistic", () => {
    const [first] = queries;
    if (!first) throw new Error("no CloudWatch query");
    const base: CloudWatchTarget = {
      ...first.target,
      namespace: "AWS/RDS",
      metricName: "ReadIOPS",
      dimensions: { DBInstanceIdentifier: "$db_instance" },
      statistic: "Average",
    };
    expect(problem(base)).toBeUndefined();
    expect(problem({ ...base, metricName: "ReadIops" })).toMatch(/publishes no ReadIops/);
    expect(problem({ ...base, dimensions: { DBClusterIdentifier: "x" } })).toMatch(/no dimension set/);
    expect(problem({ ...base, statistic: "Mean" })).toMatch(/statistic Mean/);
    expect(
      problem({
        ...base,
        namespace: "ECS/ContainerInsights",
        metricName: "ContainerNetworkRxBytes",
        dimensions: { ClusterName: "c", ServiceName: "s", TaskId: "*", ContainerName: "*" },
      }),
    ).toMatch(/no dimension set/);
  });
});
