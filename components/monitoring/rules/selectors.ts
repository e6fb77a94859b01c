// Selectors of the app's series: every app rule selects its job; API rules also leave out probes.
import { PROBE_ROUTES } from "../conventions";
import { matcher, selector } from "../promql";
import type { RuleContext } from "./model";

/** `metric{job="<app job>",extra…}` */
export function appSeries(ctx: RuleContext, metric: string, ...extra: string[]): string {
  return selector(metric, matcher("job", "=", ctx.job), ...extra);
}

/** `metric{job="<app job>",route!~"/health|/ready",extra…}`: user-facing API traffic. */
export function apiSeries(ctx: RuleContext, metric: string, ...extra: string[]): string {
  return appSeries(ctx, metric, matcher("route", "!~", PROBE_ROUTES.join("|")), ...extra);
}
