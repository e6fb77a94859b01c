// The dashboards' input the tests build them from: a stack's CloudWatch dimensions, so the
// Infrastructure dashboard's variables carry real-looking values.
import type { DashboardsInput } from "showcase-monitoring/monitoring";

export const AWS: NonNullable<DashboardsInput["aws"]> = {
  region: "eu-west-1",
  clusterName: "showcase-prod",
  serviceName: "app",
  loadBalancer: "app/showcase/0123456789abcdef",
  targetGroup: "targetgroup/app/0123456789abcdef",
  dbInstanceId: "showcase-db",
  prometheusFileSystemId: "fs-0123456789abcdef0",
  prometheusServiceName: "prometheus",
};
