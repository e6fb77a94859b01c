// The generated dashboards as GrafanaServer input. Their CloudWatch dimensions (load balancer,
// target group, ...) are only known after deployment, but Pulumi needs one resource per dashboard
// now: the generator is run once with placeholder dimensions to learn the dashboards' uids, and
// again with the real dimensions for each dashboard's JSON.
import * as pulumi from "@pulumi/pulumi";
import { buildDashboards } from "./monitoring";
import type { Dashboard, DashboardsInput } from "./monitoring/types";
import type { GrafanaDashboardArgs } from "./grafana-content";

type Dimensions = NonNullable<DashboardsInput["aws"]>;
export type DashboardDimensions = { [K in keyof Dimensions]: pulumi.Input<NonNullable<Dimensions[K]>> };

/** `input` is the generator's input without `aws`, whose values `dimensions` gives as outputs. */
export function generatedDashboards(
  input: Omit<DashboardsInput, "aws">,
  dimensions: DashboardDimensions,
): GrafanaDashboardArgs[] {
  const withJob = (aws: Dimensions): DashboardsInput => ({ ...input, aws });
  const placeholders = Object.fromEntries(Object.keys(dimensions).map((key) => [key, `placeholder-${key}`]));
  const uids = buildDashboards(withJob(placeholders as unknown as Dimensions)).map((d) => d.uid);
  const built = pulumi.output(dimensions).apply((aws): Dashboard[] => {
    const dashboards = buildDashboards(withJob(aws));
    const got = dashboards.map((d) => d.uid);
    if (got.join() !== uids.join()) {
      throw new Error(`dashboards changed with their dimensions: ${uids.join()} vs ${got.join()}`);
    }
    return dashboards;
  });
  return uids.map((uid, index) => ({
    uid,
    json: built.apply((dashboards) => JSON.stringify(dashboards[index])),
  }));
}
