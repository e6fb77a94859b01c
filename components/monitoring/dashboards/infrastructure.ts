// Infrastructure: the app's tasks and containers against their limits (the ecs_exporter sidecar in
// Prometheus, and the same from CloudWatch Container Insights for when the sidecar is off), the
// storage of Prometheus (its TSDB and remote write, EFS or the task's ephemeral disk), the load
// balancer and the RDS instance. CloudWatch dimensions are dashboard variables, pre-filled with
// the stack's names; `*` asks CloudWatch for every value (one line per task or container).
import { containerMemoryUsed } from "../rules/container-alerts";
import { exporter, prometheusSelf, rate } from "./promql";
import { cloudwatch, prom, timeseries, type PanelBuilder } from "./panels";
import type { DashboardSpec } from "./spec";
import { UIDS } from "./uids";
import type { VariableBuilder } from "./variables";

const ECS = { ClusterName: "$cluster", ServiceName: "$service" };
/** Container Insights with enhanced observability: per task, and per container of each task. */
const ECS_TASKS = { ...ECS, TaskId: "*" };
const ECS_CONTAINERS = { ...ECS_TASKS, ContainerName: "*" };
const PROMETHEUS_SERVICE = { ClusterName: "$cluster", ServiceName: "$prometheus_service" };
const EFS = { FileSystemId: "$prometheus_file_system" };
const ALB = { LoadBalancer: "$load_balancer" };
const TARGETS = { LoadBalancer: "$load_balancer", TargetGroup: "$target_group" };
const RDS = { DBInstanceIdentifier: "$db_instance" };

const ENHANCED = "Needs Container Insights with enhanced observability on the cluster";

interface CloudWatchPanel {
  title: string;
  description: string;
  unit: string;
  namespace: string;
  dimensions: Record<string, string>;
  /** [metric name, statistic, legend] per line; an empty legend keeps CloudWatch's (per task, container). */
  lines: [string, string, string][];
}

/** Panels of one namespace and dimension set. */
const inNamespace =
  (namespace: string, dimensions: Record<string, string>) =>
  (panel: Omit<CloudWatchPanel, "namespace" | "dimensions">): CloudWatchPanel => ({
    ...panel,
    namespace,
    dimensions,
  });
const efs = inNamespace("AWS/EFS", EFS);
const rds = inNamespace("AWS/RDS", RDS);
const alb = inNamespace("AWS/ApplicationELB", ALB);
const insights = (dimensions: Record<string, string>) => inNamespace("ECS/ContainerInsights", dimensions);

function cloudwatchPanel({ title, description, unit, namespace, dimensions, lines }: CloudWatchPanel) {
  return timeseries({
    title,
    description,
    unit,
    targets: lines.map(([metric, statistic, legend]) =>
      cloudwatch(namespace, metric, dimensions, statistic, legend),
    ),
  });
}

const TASK = "{{instance}}";
const CONTAINER = "{{instance}} {{container_name}}";
const CPU_SECONDS = exporter("ecs_container_cpu_usage_seconds_total");
const CPU_LIMIT = exporter("ecs_task_cpu_limit_vcpus");
const MEMORY_USED = containerMemoryUsed((metric) => exporter(metric));

/** Per task and container, from the ecs_exporter sidecar of each app task. */
function exporterPanels(): PanelBuilder[] {
  return [
    timeseries({
      title: "Task CPU against its limit (ecs_exporter)",
      description:
        "CPU used by all containers of each task as a share of the task's CPU limit; Fargate throttles the task beyond 100%.",
      unit: "percentunit",
      targets: [prom(`${rate(CPU_SECONDS, ["job", "instance"])} / on (job, instance) ${CPU_LIMIT}`, TASK)],
    }),
    timeseries({
      title: "Container CPU against the task's limit (ecs_exporter)",
      description: "CPU used by each container as a share of its task's CPU limit (the containers share it).",
      unit: "percentunit",
      targets: [
        prom(
          `${rate(CPU_SECONDS, ["job", "instance", "container_name"])} / on (job, instance) group_left ${CPU_LIMIT}`,
          CONTAINER,
        ),
      ],
    }),
    timeseries({
      title: "Container memory against its limit (ecs_exporter)",
      description:
        "Memory each container holds, page cache excluded, as a share of its limit (the task's when the container has none): the kernel kills the container at 100%.",
      unit: "percentunit",
      targets: [prom(`${MEMORY_USED} / ${exporter("ecs_container_memory_limit_bytes")}`, CONTAINER)],
    }),
    timeseries({
      title: "Task memory against its limit (ecs_exporter)",
      description:
        "Memory all containers of each task hold, page cache excluded, as a share of the task's limit.",
      unit: "percentunit",
      targets: [
        prom(
          `sum by (job, instance) ${MEMORY_USED} / on (job, instance) ${exporter("ecs_task_memory_limit_bytes")}`,
          TASK,
        ),
      ],
    }),
    timeseries({
      title: "Container memory (ecs_exporter)",
      description: "Memory each container holds (page cache excluded), its page cache, and its limit.",
      unit: "bytes",
      targets: [
        prom(MEMORY_USED, `used ${CONTAINER}`),
        prom(exporter("ecs_container_memory_page_cache_size_bytes"), `page cache ${CONTAINER}`),
        prom(exporter("ecs_container_memory_limit_bytes"), `limit ${CONTAINER}`),
      ],
    }),
    timeseries({
      title: "Network received and transmitted (ecs_exporter)",
      description:
        "Bytes per second through each network interface of each task (the containers share them).",
      unit: "Bps",
      targets: [
        prom(
          rate(exporter("ecs_network_receive_bytes_total"), ["instance", "interface"]),
          `received ${TASK} {{interface}}`,
        ),
        prom(
          rate(exporter("ecs_network_transmit_bytes_total"), ["instance", "interface"]),
          `transmitted ${TASK} {{interface}}`,
        ),
      ],
    }),
    timeseries({
      title: "Network errors and drops (ecs_exporter)",
      description:
        "Packets per second that failed or were dropped on each interface of each task, both directions.",
      unit: "pps",
      targets: (
        [
          ["receive_errors", "receive errors"],
          ["transmit_errors", "transmit errors"],
          ["receive_packets_dropped", "receive drops"],
          ["transmit_packets_dropped", "transmit drops"],
        ] as const
      ).map(([metric, legend]) =>
        prom(
          rate(exporter(`ecs_network_${metric}_total`), ["instance", "interface"]),
          `${legend} ${TASK} {{interface}}`,
        ),
      ),
    }),
    timeseries({
      title: "Task ephemeral storage (ecs_exporter)",
      description:
        "Ephemeral storage each Fargate task uses (images, writable layers, bind mounts) and what it has.",
      unit: "bytes",
      targets: [
        prom(exporter("ecs_task_ephemeral_storage_used_bytes"), `used ${TASK}`),
        prom(exporter("ecs_task_ephemeral_storage_allocated_bytes"), `allocated ${TASK}`),
      ],
    }),
  ];
}

/** The same per task and container from CloudWatch, for when the sidecar is off. */
const CONTAINER_INSIGHTS: CloudWatchPanel[] = [
  insights(ECS)({
    title: "ECS tasks",
    description: "Running and desired tasks of the ECS service (Container Insights).",
    unit: "short",
    lines: [
      ["RunningTaskCount", "Average", "running"],
      ["DesiredTaskCount", "Average", "desired"],
    ],
  }),
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
  insights(ECS_TASKS)({
    title: "Task CPU and memory utilization (Container Insights)",
    description: `CPU and memory each task uses as a share of its limits. ${ENHANCED}.`,
    unit: "percent",
    lines: [
      ["TaskCpuUtilization", "Average", ""],
      ["TaskMemoryUtilization", "Average", ""],
    ],
  }),
  insights(ECS_CONTAINERS)({
    title: "Container CPU (Container Insights)",
    description: `CPU units (1024 = one vCPU) each container of each task uses, and its reservation. ${ENHANCED}.`,
    unit: "short",
    lines: [
      ["ContainerCpuUtilized", "Average", ""],
      ["ContainerCpuReserved", "Average", ""],
    ],
  }),
  insights(ECS_CONTAINERS)({
    title: "Container memory utilization (Container Insights)",
    description: `Memory each container of each task uses as a share of its reservation. ${ENHANCED}.`,
    unit: "percent",
    lines: [["ContainerMemoryUtilization", "Maximum", ""]],
  }),
  insights(ECS_TASKS)({
    title: "Task network (Container Insights)",
    description: `Bytes per second each task receives and transmits (CloudWatch has no network error counts: the ecs_exporter panels show them). ${ENHANCED}.`,
    unit: "Bps",
    lines: [
      ["ContainerNetworkRxBytes", "Average", ""],
      ["ContainerNetworkTxBytes", "Average", ""],
    ],
  }),
  insights(ECS_TASKS)({
    title: "Task ephemeral storage (Container Insights)",
    description: `Share of its ephemeral storage each Fargate task uses. ${ENHANCED}.`,
    unit: "percent",
    lines: [["TaskEphemeralStorageUtilization", "Maximum", ""]],
  }),
  insights(ECS)({
    title: "Service CPU (Container Insights)",
    description: "CPU units (1024 = one vCPU) the service's tasks use together, against what they reserve.",
    unit: "short",
    lines: [
      ["CpuUtilized", "Average", "used"],
      ["CpuReserved", "Average", "reserved"],
    ],
  }),
  insights(ECS)({
    title: "Service memory (Container Insights)",
    description: "Memory the service's tasks use together, against what they reserve.",
    unit: "mbytes",
    lines: [
      ["MemoryUtilized", "Average", "used"],
      ["MemoryReserved", "Average", "reserved"],
    ],
  }),
  insights(ECS)({
    title: "Service network (Container Insights)",
    description: "Bytes per second the service's tasks receive and transmit together.",
    unit: "Bps",
    lines: [
      ["NetworkRxBytes", "Average", "received"],
      ["NetworkTxBytes", "Average", "transmitted"],
    ],
  }),
];

/** Prometheus's own view of its TSDB and remote write. */
function prometheusStoragePanels(): PanelBuilder[] {
  const remote = (metric: string) => prometheusSelf(`prometheus_remote_storage_${metric}`);
  return [
    timeseries({
      title: "Prometheus TSDB size",
      description:
        "Bytes of persisted blocks, write-ahead log and head chunks, and the retention size limit they count against (beyond it the oldest blocks are deleted).",
      unit: "bytes",
      targets: [
        prom(prometheusSelf("prometheus_tsdb_storage_blocks_bytes"), "blocks"),
        prom(prometheusSelf("prometheus_tsdb_wal_storage_size_bytes"), "WAL"),
        prom(prometheusSelf("prometheus_tsdb_head_chunks_storage_size_bytes"), "head chunks"),
        prom(`${prometheusSelf("prometheus_tsdb_retention_limit_bytes")} > 0`, "retention limit"),
      ],
    }),
    timeseries({
      title: "Prometheus remote write delay",
      description:
        "How far each remote write queue is behind the newest sample appended (AMP in prod); the WAL holds about two hours.",
      unit: "s",
      targets: [
        prom(
          `${remote("highest_timestamp_in_seconds")} - ignoring (remote_name, url) group_right ${remote("queue_highest_sent_timestamp_seconds")}`,
          "{{url}}",
        ),
      ],
    }),
    timeseries({
      title: "Prometheus remote write samples",
      description: "Samples per second each remote write queue sends, retries and fails for good.",
      unit: "short",
      targets: [
        prom(rate(remote("samples_total"), ["url"]), "sent {{url}}"),
        prom(rate(remote("samples_retried_total"), ["url"]), "retried {{url}}"),
        prom(rate(remote("samples_failed_total"), ["url"]), "failed {{url}}"),
      ],
    }),
    timeseries({
      title: "Prometheus remote write queue",
      description:
        "Samples waiting in each remote write queue, and its shards against the shards it wants (more wanted than it may have: it cannot keep up).",
      unit: "short",
      targets: [
        prom(remote("samples_pending"), "pending samples {{url}}"),
        prom(remote("shards"), "shards {{url}}"),
        prom(remote("shards_desired"), "shards desired {{url}}"),
        prom(remote("shards_max"), "shards max {{url}}"),
      ],
    }),
  ];
}

/** Where the TSDB lives: EFS (storage `efs`) or the task's ephemeral disk (storage `amp`). */
const PROMETHEUS_DISK: CloudWatchPanel[] = [
  efs({
    title: "Prometheus EFS I/O",
    description:
      "Bytes read, written and spent on metadata on Prometheus's EFS file system per CloudWatch period.",
    unit: "bytes",
    lines: [
      ["DataReadIOBytes", "Sum", "read"],
      ["DataWriteIOBytes", "Sum", "written"],
      ["MetadataIOBytes", "Sum", "metadata"],
    ],
  }),
  efs({
    title: "Prometheus EFS permitted throughput",
    description: "The throughput the file system may drive now (Elastic mode: its write ceiling).",
    unit: "Bps",
    lines: [["PermittedThroughput", "Minimum", "permitted"]],
  }),
  efs({
    title: "Prometheus EFS I/O limit",
    description: "How close the file system is to the I/O limit of the General Purpose performance mode.",
    unit: "percent",
    lines: [["PercentIOLimit", "Maximum", "I/O limit used"]],
  }),
  efs({
    title: "Prometheus EFS burst credits",
    description:
      "Burst credits left: they bound throughput in Bursting mode only (the stack's file system uses Elastic throughput, where they do not apply).",
    unit: "bytes",
    lines: [["BurstCreditBalance", "Minimum", "burst credits"]],
  }),
  insights(PROMETHEUS_SERVICE)({
    title: "Prometheus ephemeral storage (Container Insights)",
    description:
      "Ephemeral storage Prometheus's task uses and has: where its TSDB lives with remote write to AMP.",
    unit: "decgbytes",
    lines: [
      ["EphemeralStorageUtilized", "Maximum", "used"],
      ["EphemeralStorageReserved", "Maximum", "reserved"],
    ],
  }),
];

const LOAD_BALANCER: CloudWatchPanel[] = [
  alb({
    title: "ALB requests",
    description: "Requests received by the load balancer per CloudWatch period.",
    unit: "short",
    lines: [["RequestCount", "Sum", "requests"]],
  }),
  alb({
    title: "ALB 5xx responses",
    description:
      "5xx responses per CloudWatch period: from the targets (the app) and from the load balancer itself (no healthy target, timeouts).",
    unit: "short",
    lines: [
      ["HTTPCode_Target_5XX_Count", "Sum", "target 5xx"],
      ["HTTPCode_ELB_5XX_Count", "Sum", "load balancer 5xx"],
    ],
  }),
  alb({
    title: "ALB target response time",
    description:
      "Time from the load balancer sending a request to a target until the response starts (p50, p99).",
    unit: "s",
    lines: [
      ["TargetResponseTime", "p50", "p50"],
      ["TargetResponseTime", "p99", "p99"],
    ],
  }),
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
];

const DATABASE: CloudWatchPanel[] = [
  rds({
    title: "RDS CPU utilization",
    description: "CPU used by the database instance.",
    unit: "percent",
    lines: [["CPUUtilization", "Average", "CPU"]],
  }),
  rds({
    title: "RDS connections",
    description: "Client connections to the database instance.",
    unit: "short",
    lines: [["DatabaseConnections", "Maximum", "connections"]],
  }),
  rds({
    title: "RDS free storage",
    description: "Storage left on the database instance.",
    unit: "bytes",
    lines: [["FreeStorageSpace", "Minimum", "free storage"]],
  }),
  rds({
    title: "RDS IOPS",
    description: "Disk read and write operations per second (gp3 gives 3,000 IOPS below 400 GiB).",
    unit: "iops",
    lines: [
      ["ReadIOPS", "Average", "read"],
      ["WriteIOPS", "Average", "write"],
    ],
  }),
  rds({
    title: "RDS disk latency",
    description: "Average time a disk read and a disk write take.",
    unit: "s",
    lines: [
      ["ReadLatency", "Average", "read"],
      ["WriteLatency", "Average", "write"],
    ],
  }),
  rds({
    title: "RDS disk queue depth",
    description:
      "I/O requests waiting for the disk: a queue that stays up means IOPS or throughput are exhausted.",
    unit: "short",
    lines: [["DiskQueueDepth", "Average", "queued"]],
  }),
  rds({
    title: "RDS disk throughput",
    description: "Bytes per second read from and written to disk (gp3 gives 125 MiB/s below 400 GiB).",
    unit: "Bps",
    lines: [
      ["ReadThroughput", "Average", "read"],
      ["WriteThroughput", "Average", "write"],
    ],
  }),
];

export function infrastructureDashboard(variables: VariableBuilder[]): DashboardSpec {
  return {
    uid: UIDS.infrastructure,
    title: "Showcase API: infrastructure",
    description:
      "The app's tasks and containers against their limits (ecs_exporter and CloudWatch Container Insights), Prometheus's storage, the load balancer and the RDS instance.",
    variables,
    panels: [
      ...exporterPanels(),
      ...CONTAINER_INSIGHTS.map(cloudwatchPanel),
      ...prometheusStoragePanels(),
      ...PROMETHEUS_DISK.map(cloudwatchPanel),
      ...LOAD_BALANCER.map(cloudwatchPanel),
      ...DATABASE.map(cloudwatchPanel),
    ],
  };
}
