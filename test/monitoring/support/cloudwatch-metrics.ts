// CloudWatch's published metric names and dimension sets, for the namespaces the Infrastructure
// dashboard queries: a metric with a dimension set CloudWatch never publishes returns no data and
// no error, so the dashboards are checked against this list. Each namespace names its source
// (AWS documentation, read 2026-12); only the metrics the dashboards may use are listed, each with
// every dimension set the page gives for it.

export interface PublishedNamespace {
  source: string;
  metrics: Record<string, readonly (readonly string[])[]>;
}

const ECS_STANDARD = [
  ["ClusterName"],
  ["ClusterName", "ServiceName"],
  ["ClusterName", "TaskDefinitionFamily"],
];
/** Task-level sets: the standard three, and per task with enhanced observability. */
const ECS_TASK = [
  ...ECS_STANDARD,
  ["ClusterName", "ServiceName", "TaskId"],
  ["ClusterName", "TaskDefinitionFamily", "TaskId"],
];
/** Container-level sets (enhanced observability only). */
const ECS_CONTAINER = [
  ["ClusterName"],
  ["ClusterName", "ContainerName", "ServiceName"],
  ["ClusterName", "ContainerName", "TaskDefinitionFamily"],
  ["ClusterName", "ContainerName", "ServiceName", "TaskId"],
  ["ClusterName", "ContainerName", "TaskDefinitionFamily", "TaskId"],
];

/** Dimensions that exist only with Container Insights with enhanced observability. */
export const ENHANCED_ONLY_DIMENSIONS = ["TaskId", "ContainerName"];

const ALB_ZONAL = [["LoadBalancer"], ["AvailabilityZone", "LoadBalancer"]];
const ALB_TARGETS = [
  ["LoadBalancer", "TargetGroup"],
  ["AvailabilityZone", "LoadBalancer", "TargetGroup"],
];

export const PUBLISHED: Record<string, PublishedNamespace> = {
  "ECS/ContainerInsights": {
    source:
      "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-enhanced-observability-metrics-ECS.html",
    metrics: {
      RunningTaskCount: [["ClusterName", "ServiceName"]],
      DesiredTaskCount: [["ClusterName", "ServiceName"]],
      CpuUtilized: ECS_TASK,
      CpuReserved: ECS_TASK,
      MemoryUtilized: ECS_TASK,
      MemoryReserved: ECS_TASK,
      NetworkRxBytes: ECS_TASK,
      NetworkTxBytes: ECS_TASK,
      EphemeralStorageReserved: ECS_TASK,
      EphemeralStorageUtilized: ECS_TASK,
      TaskCpuUtilization: ECS_TASK,
      TaskMemoryUtilization: ECS_TASK,
      TaskEphemeralStorageUtilization: ECS_TASK,
      ContainerCpuUtilization: ECS_TASK,
      ContainerNetworkRxBytes: ECS_TASK,
      ContainerNetworkTxBytes: ECS_TASK,
      ContainerCpuUtilized: ECS_CONTAINER,
      ContainerCpuReserved: ECS_CONTAINER,
      ContainerMemoryUtilized: ECS_CONTAINER,
      ContainerMemoryReserved: ECS_CONTAINER,
      ContainerMemoryUtilization: ECS_CONTAINER,
    },
  },
  "AWS/ECS": {
    source: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/available-metrics.html",
    metrics: {
      CPUUtilization: [["ClusterName"], ["ClusterName", "ServiceName"]],
      MemoryUtilization: [["ClusterName"], ["ClusterName", "ServiceName"]],
    },
  },
  "AWS/ApplicationELB": {
    source:
      "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html",
    metrics: {
      RequestCount: [...ALB_ZONAL, ...ALB_TARGETS],
      HTTPCode_Target_5XX_Count: [...ALB_ZONAL, ...ALB_TARGETS],
      HTTPCode_ELB_5XX_Count: ALB_ZONAL,
      TargetResponseTime: [...ALB_ZONAL, ...ALB_TARGETS],
      HealthyHostCount: ALB_TARGETS,
      UnHealthyHostCount: ALB_TARGETS,
    },
  },
  "AWS/RDS": {
    source: "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-metrics.html",
    metrics: Object.fromEntries(
      [
        "CPUUtilization",
        "DatabaseConnections",
        "FreeStorageSpace",
        "ReadIOPS",
        "WriteIOPS",
        "ReadLatency",
        "WriteLatency",
        "ReadThroughput",
        "WriteThroughput",
        "DiskQueueDepth",
        "BurstBalance",
      ].map((metric) => [metric, [["DBInstanceIdentifier"]]]),
    ),
  },
  "AWS/EFS": {
    // "All metrics except TimeSinceLastSync are single-dimension metrics for FileSystemId" (StorageBytes adds StorageClass).
    source: "https://docs.aws.amazon.com/efs/latest/ug/efs-metrics.html",
    metrics: Object.fromEntries(
      [
        "BurstCreditBalance",
        "ClientConnections",
        "DataReadIOBytes",
        "DataWriteIOBytes",
        "MetadataIOBytes",
        "MeteredIOBytes",
        "PercentIOLimit",
        "PermittedThroughput",
        "TotalIOBytes",
      ].map((metric) => [metric, [["FileSystemId"]]]),
    ),
  },
};

const STATISTIC = /^(Average|Sum|Minimum|Maximum|SampleCount|p\d{1,2}(\.\d+)?)$/;

/** A CloudWatch metric query, as a dashboard target or an alert rule's model holds it. */
export interface CloudWatchQuery {
  namespace: string;
  metricName: string;
  dimensions: Record<string, unknown>;
  statistic: string;
}

/** What is wrong with `target` against the published list, or undefined. */
export function problem(target: CloudWatchQuery): string | undefined {
  const namespace = PUBLISHED[target.namespace];
  if (!namespace) return `namespace ${target.namespace} is not in the list`;
  const sets = namespace.metrics[target.metricName];
  if (!sets) return `${target.namespace} publishes no ${target.metricName} (${namespace.source})`;
  const keys = Object.keys(target.dimensions).sort().join(",");
  if (!sets.some((set) => [...set].sort().join(",") === keys)) {
    return `${target.metricName} has no dimension set {${keys}}; published: ${sets.map((s) => `{${s.join(",")}}`).join(" ")}`;
  }
  if (!STATISTIC.test(target.statistic)) return `statistic ${target.statistic}`;
  return undefined;
}
