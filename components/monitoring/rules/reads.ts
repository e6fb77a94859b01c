// Who reads a recorded series, so that dropping one that a kept rule or one of our dashboards still
// reads is an error naming both. Metric names are the identifiers left once string literals are
// blanked; only our recorded names (which hold colons) are looked up, so function and label names
// never match.
import { buildDashboards, dashboardQueries } from "../dashboards";
import { invalid } from "../validate";
import { droppedBy, type Drop } from "./drops";
import { isAlert, recordsOf, type RuleFile } from "./model";

const STRING = /"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g;
const NAME = /[a-zA-Z_:][a-zA-Z0-9_:]*/g;

export function readsSeries(expr: string, series: string): boolean {
  const names: string[] = expr.replace(STRING, '""').match(NAME) ?? [];
  return names.includes(series);
}

interface Reader {
  /** e.g. `alert ApiHighErrorRate (group http)`, `dashboard showcase-slo`. */
  who: string;
  expr: string;
}

function ruleReaders(files: readonly RuleFile[]): Reader[] {
  return files.flatMap((file) =>
    file.group.rules.map((rule) => ({
      who: isAlert(rule)
        ? `alert ${rule.alert} (group ${file.id})`
        : `recording rule ${rule.record} (group ${file.id})`,
      expr: rule.expr,
    })),
  );
}

function dashboardReaders(job: string): Reader[] {
  return dashboardQueries(buildDashboards({ appJob: job })).map((query) => ({
    who: `dashboard ${query.dashboard}`,
    expr: query.expr,
  }));
}

/**
 * Every recorded series our dropped rules wrote and no kept rule writes must be read by nothing
 * that stays: the rules in `result` and, when `dashboards`, our dashboards for `job`.
 */
export function requireDroppedSeriesUnread(
  ours: readonly RuleFile[],
  drops: readonly Drop[],
  result: readonly RuleFile[],
  dashboards: { deployed: boolean; job: string },
): void {
  const written = new Set(result.flatMap((file) => recordsOf(file.group.rules)));
  const removed = ours.flatMap((file) =>
    file.group.rules.flatMap((rule) => {
      const drop = droppedBy(drops, file, rule);
      return "record" in rule && !written.has(rule.record) && drop !== undefined
        ? [{ series: rule.record, drop }]
        : [];
    }),
  );
  if (removed.length === 0) return;
  const readers = [...ruleReaders(result), ...(dashboards.deployed ? dashboardReaders(dashboards.job) : [])];
  for (const { series, drop } of removed) {
    const who = [...new Set(readers.filter((r) => readsSeries(r.expr, series)).map((r) => r.who))];
    if (who.length === 0) continue;
    const hint = who.some((w) => w.startsWith("dashboard"))
      ? " (or set dashboardsDeployed: false when our dashboards do not run against these rules)"
      : "";
    invalid(
      drop.field,
      drop.value,
      `${drop.what} writes ${series}, which ${who.join(", ")} still read${who.length === 1 ? "s" : ""}: ` +
        `keep it, drop the readers too, or record ${series} in a group of yours${hint}`,
    );
  }
}
