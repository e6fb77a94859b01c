// One Fargate service the way every component runs it: private subnets, no public IP, own log
// group, execution role allowed to read exactly the secrets its containers reference, task role with
// the component's policies, Cloud Map A records for discovery, circuit breaker with rollback.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ecsTasksRole, policyDocument, secretReadStatements } from "./iam";
import type { Tags } from "./tags";

/** Fargate task size. */
export interface TaskSize {
  /** CPU units (256 = 0.25 vCPU). */
  cpu: number;
  /** MiB; a valid Fargate combination with `cpu`. */
  memory: number;
}

/** The largest task definition ECS accepts. */
const TASK_DEFINITION_LIMIT = 65_536;

export interface FargateServiceArgs {
  clusterArn: pulumi.Input<string>;
  subnetIds: pulumi.Input<string>[];
  securityGroupIds: pulumi.Input<string>[];
  size: TaskSize;
  /** Containers; each gets an awslogs configuration in the service's log group. */
  containers: aws.ecs.ContainerDefinition[];
  volumes?: pulumi.Input<aws.types.input.ecs.TaskDefinitionVolume>[];
  /** Task ephemeral storage in GiB (21-200); Fargate's default 20 when unset. */
  ephemeralStorageGib?: number;
  /** Inline policies of the task role, by name. */
  taskPolicies?: Record<string, pulumi.Input<string>>;
  /** Managed policies attached to the task role. */
  taskPolicyArns?: pulumi.Input<string>[];
  desiredCount: number;
  /** Stop the old task before starting the new one: one writer on shared storage. */
  singleWriter: boolean;
  /** Autoscaling owns the desired count after creation. */
  autoscaled?: boolean;
  loadBalancer?: {
    targetGroupArn: pulumi.Input<string>;
    containerName: string;
    containerPort: number;
  };
  /** Cloud Map registration: `<name>.<namespace>` resolves to the tasks' IPs. */
  discovery?: { namespaceId: pulumi.Input<string>; name: string };
  /** Make `pulumi up` wait until the tasks are running and healthy. */
  waitForSteadyState?: boolean;
  /** What the tasks need before they start (config objects, mount targets, listeners). */
  serviceDependsOn?: pulumi.Resource[];
  logRetentionDays: number;
  tags: Tags;
}

/** Health check GETting http://localhost:<port><path> with busybox wget (as in the Prometheus images). */
export function wgetHealthCheck(port: number, path: string, startPeriod: number): aws.ecs.HealthCheck {
  return {
    command: ["CMD", "wget", "-q", "-O", "/dev/null", `http://localhost:${port}${path}`],
    interval: 30,
    timeout: 5,
    retries: 3,
    startPeriod,
  };
}

export interface FargateService {
  service: aws.ecs.Service;
  taskDefinition: aws.ecs.TaskDefinition;
  taskRole: aws.iam.Role;
  executionRole: aws.iam.Role;
  logGroup: aws.cloudwatch.LogGroup;
  discoveryService?: aws.servicediscovery.Service;
}

export function fargateService(
  name: string,
  args: FargateServiceArgs,
  opts: pulumi.CustomResourceOptions,
): FargateService {
  const { tags } = args;
  const region = aws.getRegionOutput({}, opts).region;
  const logGroup = new aws.cloudwatch.LogGroup(
    `${name}-logs`,
    {
      name: `/ecs/${pulumi.getProject()}/${pulumi.getStack()}/${name}`,
      retentionInDays: args.logRetentionDays,
      tags,
    },
    opts,
  );

  const executionRole = ecsTasksRole(
    `${name}-execution`,
    { description: `Starts ${name} tasks`, tags },
    opts,
  );
  new aws.iam.RolePolicyAttachment(
    `${name}-execution`,
    {
      role: executionRole.name,
      policyArn: aws.iam.ManagedPolicy.AmazonECSTaskExecutionRolePolicy,
    },
    opts,
  );
  const secretRefs = args.containers.flatMap((c) => (c.secrets ?? []).map((s) => s.valueFrom));
  if (secretRefs.length > 0) {
    new aws.iam.RolePolicy(
      `${name}-execution-secrets`,
      {
        role: executionRole.id,
        policy: pulumi.all(secretRefs).apply((refs) => policyDocument(secretReadStatements(refs))),
      },
      opts,
    );
  }

  const taskRole = ecsTasksRole(`${name}-task`, { description: `Role of ${name} tasks`, tags }, opts);
  for (const [policyName, policy] of Object.entries(args.taskPolicies ?? {})) {
    new aws.iam.RolePolicy(`${name}-task-${policyName}`, { role: taskRole.id, policy }, opts);
  }
  (args.taskPolicyArns ?? []).forEach(
    (policyArn, index) =>
      new aws.iam.RolePolicyAttachment(
        `${name}-task-managed-${index}`,
        { role: taskRole.name, policyArn },
        opts,
      ),
  );

  const containers = args.containers.map((container): aws.ecs.ContainerDefinition => ({
    ...container,
    logConfiguration: {
      logDriver: "awslogs",
      options: {
        "awslogs-group": logGroup.name,
        "awslogs-region": region,
        "awslogs-stream-prefix": container.name,
      },
    },
  }));
  const containerDefinitions = pulumi.output(containers).apply((defs) => {
    const json = JSON.stringify(defs);
    if (json.length > TASK_DEFINITION_LIMIT / 2) {
      // Leave room for the rest of the task definition; large files belong in S3 (config-files.ts).
      throw new pulumi.ResourceError(
        `${name}: container definitions are ${json.length} bytes, too close to the 64 KiB limit`,
        opts.parent,
      );
    }
    return json;
  });

  const taskDefinition = new aws.ecs.TaskDefinition(
    `${name}-task`,
    {
      family: `${pulumi.getProject()}-${pulumi.getStack()}-${name}`,
      requiresCompatibilities: ["FARGATE"],
      networkMode: "awsvpc",
      cpu: String(args.size.cpu),
      memory: String(args.size.memory),
      runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
      executionRoleArn: executionRole.arn,
      taskRoleArn: taskRole.arn,
      containerDefinitions,
      ...(args.volumes === undefined ? {} : { volumes: args.volumes }),
      ...(args.ephemeralStorageGib === undefined
        ? {}
        : { ephemeralStorage: { sizeInGib: args.ephemeralStorageGib } }),
      tags,
    },
    opts,
  );

  let discoveryService: aws.servicediscovery.Service | undefined;
  if (args.discovery !== undefined) {
    discoveryService = new aws.servicediscovery.Service(
      `${name}-discovery`,
      {
        name: args.discovery.name,
        dnsConfig: {
          namespaceId: args.discovery.namespaceId,
          routingPolicy: "MULTIVALUE",
          dnsRecords: [{ type: "A", ttl: 10 }],
        },
        // ECS reports task health to Cloud Map: only healthy tasks are answered.
        healthCheckCustomConfig: {},
        forceDestroy: true,
        tags,
      },
      opts,
    );
  }

  const service = new aws.ecs.Service(
    `${name}-service`,
    {
      cluster: args.clusterArn,
      taskDefinition: taskDefinition.arn,
      launchType: "FARGATE",
      platformVersion: "1.4.0",
      desiredCount: args.desiredCount,
      deploymentMinimumHealthyPercent: args.singleWriter ? 0 : 100,
      deploymentMaximumPercent: args.singleWriter ? 100 : 200,
      deploymentCircuitBreaker: { enable: true, rollback: true },
      networkConfiguration: {
        subnets: args.subnetIds,
        securityGroups: args.securityGroupIds,
        assignPublicIp: false,
      },
      ...(args.loadBalancer === undefined
        ? {}
        : {
            loadBalancers: [args.loadBalancer],
            healthCheckGracePeriodSeconds: 60,
          }),
      ...(discoveryService === undefined ? {} : { serviceRegistries: { registryArn: discoveryService.arn } }),
      propagateTags: "SERVICE",
      enableEcsManagedTags: true,
      waitForSteadyState: args.waitForSteadyState ?? false,
      tags,
    },
    {
      ...opts,
      dependsOn: args.serviceDependsOn ?? [],
      ignoreChanges: args.autoscaled === true ? ["desiredCount"] : [],
    },
  );

  return {
    service,
    taskDefinition,
    taskRole,
    executionRole,
    logGroup,
    ...(discoveryService === undefined ? {} : { discoveryService }),
  };
}
