// The ecs_exporter's metric names changed between releases (0.4.0 renamed all of them): every
// ecs_* series the alerts and dashboards read must be one the pinned release emits, as its own
// fixture output shows (tools/ecs-exporter/fargate-metrics.json, which the stand-in serves).
import { describe, expect, it } from "vitest";
import { images } from "showcase-monitoring";
import { alertRules, buildDashboards, dashboardQueries, resolveQuery } from "showcase-monitoring/monitoring";
import { exporterSnapshot, exposition } from "../../tools/ecs-exporter/stand-in";
import { RULES_INPUT } from "./support/inputs";
import { parsePromql } from "./support/promql";

const snapshot = exporterSnapshot();

function metricNames(expr: string): string[] {
  const names: string[] = [];
  const cursor = parsePromql(expr).cursor();
  do {
    if (cursor.name !== "VectorSelector") continue;
    const identifier = cursor.node.getChild("Identifier");
    if (identifier) names.push(expr.slice(identifier.from, identifier.to));
  } while (cursor.next());
  return names;
}

const read = [
  ...alertRules(RULES_INPUT).map((rule) => rule.expr),
  ...dashboardQueries(buildDashboards({})).map((q) => resolveQuery(q.expr, { job: "showcase-api" })),
].flatMap(metricNames);

describe("the ecs_exporter series", () => {
  it("come from the release the stack deploys", () => {
    expect(images.ecsExporter).toBe(`quay.io/prometheuscommunity/ecs-exporter:${snapshot.source.tag}`);
    expect(snapshot.source.repository).toBe("prometheus-community/ecs_exporter");
    expect(snapshot.source.commit).toMatch(/^[0-9a-f]{40}$/);
  });

  it("that alerts and dashboards read are all emitted by it", () => {
    const emitted = new Set(snapshot.families.map((f) => f.name));
    const used = [...new Set(read.filter((name) => name.startsWith("ecs_")))];
    expect(used.length).toBeGreaterThanOrEqual(14);
    expect(used.filter((name) => !emitted.has(name))).toEqual([]);
  });

  it("are served by the stand-in in the text format, counters advancing, gauges not", () => {
    const at = (seconds: number, name: string) =>
      Number(
        exposition(snapshot, seconds)
          .split("\n")
          .find((line) => line.startsWith(`${name}{container_name="app"}`))
          ?.split(" ")[1],
      );
    expect(exposition(snapshot, 0)).toContain(
      '# TYPE ecs_container_cpu_usage_seconds_total counter\necs_container_cpu_usage_seconds_total{container_name="ecs-exporter"} 0.322633383\n',
    );
    expect(
      at(10, "ecs_container_cpu_usage_seconds_total") - at(0, "ecs_container_cpu_usage_seconds_total"),
    ).toBeCloseTo(1.2);
    expect(at(10, "ecs_container_memory_limit_bytes")).toBe(536870912);
    expect(exposition(snapshot, 0)).toMatch(/^ecs_task_cpu_limit_vcpus 0\.25$/m);
  });
});
