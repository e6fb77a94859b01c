// SLOs: objectives, error budget left over the period, burn rates per alert window, and the SLIs
// against their objectives. All from the recorded series of slo.rules.yml.
import { matcher, selector } from "../promql";
import { RECORDED, SLO_PERIOD, type SloWindow } from "../recorded";
import { BURN_RATES } from "../rules/slo";
import type { VariableBuilder } from "./variables";
import { prom, stat, steps, timeseries } from "./panels";
import type { DashboardSpec } from "./spec";
import { UIDS } from "./uids";

type Slo = "availability" | "latency";
const JOB = matcher("job", "=", "$job");
const objective = (slo: Slo) => selector(RECORDED.objective, JOB, matcher("slo", "=", slo));
const ratio = (slo: Slo, window: SloWindow) =>
  selector(slo === "availability" ? RECORDED.errorRatio(window) : RECORDED.slowRatio(window), JOB);
const NAME: Record<Slo, string> = { availability: "Availability", latency: "Latency" };
const LONG_WINDOWS = BURN_RATES.map((b) => b.long);

function sloPanels(slo: Slo) {
  return [
    stat({
      title: `${NAME[slo]} objective`,
      description: `Target share of good API requests for ${slo} (from the stack's SLO configuration).`,
      unit: "percentunit",
      targets: [prom(objective(slo), "objective")],
      decimals: 2,
    }),
    stat({
      title: `${NAME[slo]} error budget remaining`,
      description: `Share of the ${SLO_PERIOD} ${slo} error budget not yet spent (below 0: overspent).`,
      unit: "percentunit",
      targets: [prom(selector(RECORDED.budgetRemaining, JOB, matcher("slo", "=", slo)), "remaining")],
      thresholds: steps(["red", null], ["orange", 0], ["green", 0.25]),
    }),
  ];
}

function burnPanel(slo: Slo) {
  return timeseries({
    title: `${NAME[slo]} burn rate`,
    description: `How many times faster than sustainable the ${slo} budget burns, over each alert's long window (page above 14.4x/6x, ticket above 3x/1x).`,
    unit: "suffix:x",
    targets: LONG_WINDOWS.map((w) => prom(`${ratio(slo, w)}\n/ on (job) (1 - ${objective(slo)})`, w)),
  });
}

function sliPanel(slo: Slo, title: string, description: string) {
  return timeseries({
    title,
    description,
    unit: "percentunit",
    targets: [
      prom(ratio(slo, "5m"), "bad requests (5m)"),
      prom(ratio(slo, "1h"), "bad requests (1h)"),
      prom(`1 - ${objective(slo)}`, "budget (1 - objective)"),
    ],
  });
}

export function sloDashboard(variables: VariableBuilder[]): DashboardSpec {
  return {
    uid: UIDS.slo,
    title: "Showcase API: SLOs",
    description: "Availability and latency objectives of the API, their error budgets and burn rates.",
    variables,
    panels: [
      ...sloPanels("availability"),
      ...sloPanels("latency"),
      burnPanel("availability"),
      burnPanel("latency"),
      sliPanel(
        "availability",
        "Error ratio and budget",
        "Share of API requests answered with 5xx, against the share the objective allows.",
      ),
      sliPanel(
        "latency",
        "Slow request ratio and budget",
        "Share of API requests slower than the SLO threshold, against the share the objective allows.",
      ),
      timeseries({
        title: "Error budget remaining",
        description: `Share of each SLO's ${SLO_PERIOD} error budget not yet spent.`,
        unit: "percentunit",
        targets: [prom(selector(RECORDED.budgetRemaining, JOB), "{{slo}}")],
        width: 24,
      }),
    ],
  };
}
