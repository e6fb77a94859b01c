// Infrastructure from CloudWatch: the ECS service's tasks and resources, the load balancer, and
// the RDS instance. Dimensions are dashboard variables, pre-filled with the stack's names.
import type { VariableBuilder } from "./variables";
import { cloudwatch, timeseries } from "./panels";
import type { DashboardSpec } from "./spec";
import { UIDS } from "./uids";

const ECS = { ClusterName: "$cluster", ServiceName: "$service" };
const ALB = { LoadBalancer: "$load_balancer" };
const TARGETS = { LoadBalancer: "$load_balancer", TargetGroup: "$target_group" };
const RDS = { DBInstanceIdentifier: "$db_instance" };

interface CloudWatchPanel {
  title: string;
  description: string;
  unit: string;
  namespace: string;
  dimensions: Record<string, string>;
  /** [metric name, statistic, legend] per line. */
  lines: [string, string, string][];
}

const PANELS: CloudWatchPanel[] = [
  {
    title: "ECS tasks",
    description: "Running and desired tasks of the ECS service (Container Insights).",
    unit: "short",
    namespace: "ECS/ContainerInsights",
    dimensions: ECS,
    lines: [
      ["RunningTaskCount", "Average", "running"],
      ["DesiredTaskCount", "Average", "desired"],
    ],
  },
  ...(["CPU", "Memory"] as const).map((resource) => ({
    title: `ECS ${resource.toLowerCase()} utilization`,
    description: `${resource} used by the service's tasks, as a share of their reservation (average and busiest task).`,
    unit: "percent",
    namespace: "AWS/ECS",
    dimensions: ECS,
    lines: [
      [`${resource}Utilization`, "Average", "average"],
      [`${resource}Utilization`, "Maximum", "maximum"],
    ] as [string, string, string][],
  })),
  {
    title: "ALB requests",
    description: "Requests received by the load balancer per CloudWatch period.",
    unit: "short",
    namespace: "AWS/ApplicationELB",
    dimensions: ALB,
    lines: [["RequestCount", "Sum", "requests"]],
  },
  {
    title: "ALB 5xx responses",
    description:
      "5xx responses per CloudWatch period: from the targets (the app) and from the load balancer itself (no healthy target, timeouts).",
    unit: "short",
    namespace: "AWS/ApplicationELB",
    dimensions: ALB,
    lines: [
      ["HTTPCode_Target_5XX_Count", "Sum", "target 5xx"],
      ["HTTPCode_ELB_5XX_Count", "Sum", "load balancer 5xx"],
    ],
  },
  {
    title: "ALB target response time",
    description:
      "Time from the load balancer sending a request to a target until the response starts (p50, p99).",
    unit: "s",
    namespace: "AWS/ApplicationELB",
    dimensions: ALB,
    lines: [
      ["TargetResponseTime", "p50", "p50"],
      ["TargetResponseTime", "p99", "p99"],
    ],
  },
  {
    title: "ALB healthy hosts",
    description: "Targets of the target group passing and failing the load balancer's health check.",
    unit: "short",
    namespace: "AWS/ApplicationELB",
    dimensions: TARGETS,
    lines: [
      ["HealthyHostCount", "Minimum", "healthy"],
      ["UnHealthyHostCount", "Maximum", "unhealthy"],
    ],
  },
  {
    title: "RDS CPU utilization",
    description: "CPU used by the database instance.",
    unit: "percent",
    namespace: "AWS/RDS",
    dimensions: RDS,
    lines: [["CPUUtilization", "Average", "CPU"]],
  },
  {
    title: "RDS connections",
    description: "Client connections to the database instance.",
    unit: "short",
    namespace: "AWS/RDS",
    dimensions: RDS,
    lines: [["DatabaseConnections", "Maximum", "connections"]],
  },
  {
    title: "RDS free storage",
    description: "Storage left on the database instance.",
    unit: "bytes",
    namespace: "AWS/RDS",
    dimensions: RDS,
    lines: [["FreeStorageSpace", "Minimum", "free storage"]],
  },
];

export function infrastructureDashboard(variables: VariableBuilder[]): DashboardSpec {
  return {
    uid: UIDS.infrastructure,
    title: "Showcase API: infrastructure",
    description: "ECS service, Application Load Balancer and RDS instance, from CloudWatch.",
    variables,
    panels: PANELS.map(({ title, description, unit, namespace, dimensions, lines }) =>
      timeseries({
        title,
        description,
        unit,
        targets: lines.map(([metric, statistic, legend]) =>
          cloudwatch(namespace, metric, dimensions, statistic, legend),
        ),
      }),
    ),
  };
}
