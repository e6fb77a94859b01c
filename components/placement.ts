// Where a component's Fargate tasks run: the arguments every component shares (bring your own
// VPC, subnets, cluster and security group), and the task security group they imply.
import type * as pulumi from "@pulumi/pulumi";
import { securityGroup } from "./security-groups";
import type { Tags } from "./tags";

export interface PlacementArgs {
  /** VPC of the tasks. */
  vpcId: pulumi.Input<string>;
  /** Private subnets of the tasks, one per availability zone; tasks get no public IP. */
  privateSubnetIds: pulumi.Input<string>[];
  /** ARN of the ECS cluster the service runs in. */
  clusterArn: pulumi.Input<string>;
  /** Cloud Map private DNS namespace (id and name) in which the service registers. */
  namespace: { id: pulumi.Input<string>; name: string };
  /**
   * Security group of the tasks. Default: one is created (egress only). Either way the component
   * adds the ingress rules its clients need to it, and nothing else.
   */
  securityGroupId?: pulumi.Input<string>;
  /** CloudWatch Logs retention in days. Default 30. */
  logRetentionDays?: number;
  /** Extra tags on every taggable resource (project, stack and component are always set). */
  tags?: Tags;
}

const DEFAULT_LOG_RETENTION_DAYS = 30;

/** The FargateServiceArgs that follow from the placement: cluster, private subnets, group, discovery, logs. */
export function servicePlacement(name: string, args: PlacementArgs, securityGroupId: pulumi.Input<string>) {
  return {
    clusterArn: args.clusterArn,
    subnetIds: args.privateSubnetIds,
    securityGroupIds: [securityGroupId],
    discovery: { namespaceId: args.namespace.id, name },
    logRetentionDays: args.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS,
  };
}

/** The tasks' security group: the one given, or a new one. */
export function taskSecurityGroupId(
  name: string,
  args: PlacementArgs,
  tags: Tags,
  opts: pulumi.CustomResourceOptions,
): pulumi.Input<string> {
  if (args.securityGroupId !== undefined) return args.securityGroupId;
  return securityGroup(`${name}-tasks`, { vpcId: args.vpcId, description: `${name} tasks`, tags }, opts).id;
}
