// The generated dashboards against the schema of the Grafana we deploy (@grafana/schema of the
// image's version): the dashboard model, every panel's options and custom field config by panel
// type, every CloudWatch query; and the heatmap tooltip in the keys Grafana reads since 10.4.
import { beforeAll, describe, expect, it } from "vitest";
import { images } from "showcase-monitoring";
import { buildDashboards, UIDS, type GrafanaDashboard, type Panel } from "showcase-monitoring/monitoring";
import { AWS } from "./support/dashboard-inputs";
import { loadGrafanaSchema, PANEL_TYPES, type GrafanaSchema, type PanelType } from "./support/grafana-schema";

const dashboards = buildDashboards({ aws: AWS });
const panels = dashboards.flatMap((d) => d.panels.map((p) => [`${d.uid} / ${p.title}`, p] as const));

/**
 * Keys Grafana 12.4 writes and reads that its published types lack (its CUE model of variables is
 * open): the query variable's `definition`, the query as shown in the variable editor.
 */
function withoutUnpublishedKeys(d: GrafanaDashboard): GrafanaDashboard {
  return {
    ...d,
    templating: { list: d.templating.list.map(({ definition: _definition, ...variable }) => variable) },
  };
}

let schema: GrafanaSchema;
// The TypeScript compiler reads @grafana/schema's declarations: seconds, more on a busy machine.
beforeAll(() => {
  schema = loadGrafanaSchema();
}, 120_000);

function panelType(panel: Panel): PanelType {
  const type = PANEL_TYPES.find((t) => t === panel.type);
  if (!type)
    throw new Error(`panel "${panel.title}" has type ${panel.type}, not one of ${PANEL_TYPES.join(", ")}`);
  return type;
}

describe("dashboards in Grafana's own schema", () => {
  it("is checked against the schema of the Grafana version we deploy", () => {
    expect(images.grafana).toBe(`grafana/grafana:${schema.version}`);
  });

  it("write the schema version that Grafana release writes", async () => {
    const { defaultDashboard } = await import("@grafana/schema");
    for (const d of dashboards) expect(d.schemaVersion, d.uid).toBe(defaultDashboard.schemaVersion);
  });

  it.each(dashboards.map((d) => [d.uid, d] as const))("%s is a valid dashboard model", (_, d) => {
    expect(schema.dashboard(withoutUnpublishedKeys(d))).toEqual([]);
  });

  it.each(panels)("%s: options and custom field config are those of its panel type", (_, panel) => {
    const type = schema.panels[panelType(panel)];
    expect(type.options(panel.options), "options").toEqual([]);
    expect(type.fieldConfig(panel.fieldConfig.defaults.custom), "fieldConfig.defaults.custom").toEqual([]);
  });

  it("every CloudWatch query is a CloudWatch metrics query", () => {
    const queries = panels.flatMap(([, p]) => p.targets.filter((t) => t.datasource.type === "cloudwatch"));
    expect(queries.length).toBeGreaterThan(0);
    for (const query of queries) expect(schema.cloudwatchMetricsQuery(query), query.refId).toEqual([]);
  });

  it("the HTTP latency heatmap's tooltip has the 10.4+ keys (mode, yHistogram, showColorScale), not show", () => {
    const http = dashboards.find((d) => d.uid === UIDS.http);
    const heatmaps = http?.panels.filter((p) => p.type === "heatmap") ?? [];
    expect(heatmaps.map((p) => p.title)).toEqual(["Latency distribution"]);
    const tooltip = heatmaps[0]?.options["tooltip"];
    expect(tooltip).toEqual({ mode: "single", yHistogram: true, showColorScale: false });
  });

  it("catches what it is meant to catch", () => {
    const heatmap = panels.find(([, p]) => p.type === "heatmap")?.[1];
    const options = { ...heatmap?.options, tooltip: { show: true, yHistogram: true } };
    expect(schema.panels.heatmap.options(options)).toEqual([
      "/tooltip: must have required property 'mode'",
      "/tooltip: must NOT have additional properties (show)",
    ]);
    const [d] = dashboards;
    if (!d) throw new Error("no dashboards");
    const [first] = d.panels;
    // An option misplaced on the panel, and a uid of the wrong type (Ajv also says why it is no row).
    const misplaced = {
      ...d,
      panels: [{ ...first, legend: {}, datasource: { type: "prometheus", uid: 7 } }],
    };
    expect(schema.dashboard(withoutUnpublishedKeys(misplaced as unknown as GrafanaDashboard))).toEqual(
      expect.arrayContaining([
        "/panels/0: must NOT have additional properties (legend)",
        "/panels/0/datasource/uid: must be string",
      ]),
    );
    expect(schema.panels.stat.fieldConfig({ fillOpacity: 10 })).toEqual([
      "/: stat panels have no custom field config",
    ]);
  });
});
