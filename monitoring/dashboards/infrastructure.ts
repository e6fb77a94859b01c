// Infrastructure from CloudWatch: the ECS service's tasks and resources, the load balancer, and
// the RDS instance. Dimensions are dashboard variables, pre-filled with the stack's names.
import type { Variable } from "./model";
import { cloudwatch, timeseries } from "./panels";
import { UIDS, type DashboardSpec } from "./spec";

const ECS = { ClusterName: "$cluster", ServiceName: "$service" };
const ALB = { LoadBalancer: "$load_balancer" };
const TARGETS = { LoadBalancer: "$load_balancer", TargetGroup: "$target_group" };
const RDS = { DBInstanceIdentifier: "$db_instance" };

export function infrastructureDashboard(variables: Variable[]): DashboardSpec {
  return {
    uid: UIDS.infrastructure,
    title: "Showcase API: infrastructure",
    description: "ECS service, Application Load Balancer and RDS instance, from CloudWatch.",
    variables,
    panels: [
      timeseries({
        title: "ECS tasks",
        description: "Running and desired tasks of the ECS service (Container Insights).",
        unit: "short",
        targets: [
          cloudwatch("ECS/ContainerInsights", "RunningTaskCount", ECS, "Average", "running"),
          cloudwatch("ECS/ContainerInsights", "DesiredTaskCount", ECS, "Average", "desired"),
        ],
      }),
      timeseries({
        title: "ECS CPU utilization",
        description:
          "CPU used by the service's tasks, as a share of their reserved CPU (average and busiest).",
        unit: "percent",
        targets: [
          cloudwatch("AWS/ECS", "CPUUtilization", ECS, "Average", "average"),
          cloudwatch("AWS/ECS", "CPUUtilization", ECS, "Maximum", "maximum"),
        ],
      }),
      timeseries({
        title: "ECS memory utilization",
        description:
          "Memory used by the service's tasks, as a share of their reserved memory (average and busiest).",
        unit: "percent",
        targets: [
          cloudwatch("AWS/ECS", "MemoryUtilization", ECS, "Average", "average"),
          cloudwatch("AWS/ECS", "MemoryUtilization", ECS, "Maximum", "maximum"),
        ],
      }),
      timeseries({
        title: "ALB requests",
        description: "Requests received by the load balancer per CloudWatch period.",
        unit: "short",
        targets: [cloudwatch("AWS/ApplicationELB", "RequestCount", ALB, "Sum", "requests")],
      }),
      timeseries({
        title: "ALB 5xx responses",
        description:
          "5xx responses per CloudWatch period: from the targets (the app) and from the load balancer itself (no healthy target, timeouts).",
        unit: "short",
        targets: [
          cloudwatch("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", ALB, "Sum", "target 5xx"),
          cloudwatch("AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", ALB, "Sum", "load balancer 5xx"),
        ],
      }),
      timeseries({
        title: "ALB target response time",
        description:
          "Time from the load balancer sending a request to the target until the response starts (p50, p99).",
        unit: "s",
        targets: [
          cloudwatch("AWS/ApplicationELB", "TargetResponseTime", ALB, "p50", "p50"),
          cloudwatch("AWS/ApplicationELB", "TargetResponseTime", ALB, "p99", "p99"),
        ],
      }),
      timeseries({
        title: "ALB healthy hosts",
        description: "Targets of the target group passing and failing the load balancer's health check.",
        unit: "short",
        targets: [
          cloudwatch("AWS/ApplicationELB", "HealthyHostCount", TARGETS, "Minimum", "healthy"),
          cloudwatch("AWS/ApplicationELB", "UnHealthyHostCount", TARGETS, "Maximum", "unhealthy"),
        ],
      }),
      timeseries({
        title: "RDS CPU utilization",
        description: "CPU used by the database instance.",
        unit: "percent",
        targets: [cloudwatch("AWS/RDS", "CPUUtilization", RDS, "Average", "CPU")],
      }),
      timeseries({
        title: "RDS connections",
        description: "Client connections to the database instance.",
        unit: "short",
        targets: [cloudwatch("AWS/RDS", "DatabaseConnections", RDS, "Maximum", "connections")],
      }),
      timeseries({
        title: "RDS free storage",
        description: "Storage left on the database instance.",
        unit: "bytes",
        targets: [cloudwatch("AWS/RDS", "FreeStorageSpace", RDS, "Minimum", "free storage")],
      }),
    ],
  };
}
