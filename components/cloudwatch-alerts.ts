// The CloudWatch alert rules as GrafanaServer / GrafanaContent input: the RDS instance's identifier
// is known only after deployment, the number of rules now.
import * as pulumi from "@pulumi/pulumi";
import { buildCloudWatchAlerts, CLOUDWATCH_ALERT_NAMES, type CloudWatchAlertsInput } from "./monitoring";

export interface CloudWatchAlertTargets {
  region: pulumi.Input<string>;
  /** E.g. from AppService.database: its identifier, allocatedStorage and iops. */
  rds: {
    dbInstanceIdentifier: pulumi.Input<string>;
    allocatedStorageGb: pulumi.Input<number>;
    /** Default 3000 (gp3 below 400 GiB); RDS reports gp3's baseline as the instance's `iops`. */
    provisionedIops?: pulumi.Input<number | undefined>;
  };
}

/** `input` is the generator's input without what `targets` gives as outputs; one JSON rule each. */
export function generatedCloudWatchAlerts(
  input: Omit<CloudWatchAlertsInput, "region" | "rds">,
  targets: CloudWatchAlertTargets,
): pulumi.Output<string>[] {
  const { rds } = targets;
  const built = pulumi
    .all([targets.region, rds.dbInstanceIdentifier, rds.allocatedStorageGb, rds.provisionedIops])
    .apply(([region, dbInstanceIdentifier, allocatedStorageGb, iops]) =>
      buildCloudWatchAlerts({
        ...input,
        region,
        rds: {
          dbInstanceIdentifier,
          allocatedStorageGb,
          ...(iops === undefined ? {} : { provisionedIops: iops }),
        },
      }),
    );
  return Object.values(CLOUDWATCH_ALERT_NAMES).map((name) =>
    built.apply((rules) => {
      const rule = rules.find((r) => r.title === name);
      if (rule === undefined) throw new Error(`the CloudWatch alerts have no rule ${name}`);
      return JSON.stringify(rule);
    }),
  );
}
