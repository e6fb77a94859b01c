// Where a component's Fargate tasks run: the arguments every component shares (bring your own
// VPC, subnets, cluster, namespace and security group), and the task security group they imply.
import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { securityGroup } from "./security-groups";
import type { Tags } from "./tags";

/** A Cloud Map private DNS namespace, e.g. an `aws.servicediscovery.PrivateDnsNamespace`. */
export interface NamespaceArgs {
  /** Namespace id (`ns-...`). */
  id: pulumi.Input<string>;
  /** Its DNS name, e.g. svc.internal: services register as `<component name>.<namespace>`. */
  name: pulumi.Input<string>;
}

export interface PlacementArgs {
  /** VPC of the tasks. */
  vpcId: pulumi.Input<string>;
  /** Private subnets of the tasks, one per availability zone; tasks get no public IP. */
  privateSubnetIds: pulumi.Input<string>[];
  /** ARN of the ECS cluster the service runs in. */
  clusterArn: pulumi.Input<string>;
  /** Cloud Map private DNS namespace in which the service registers. */
  namespace: NamespaceArgs;
  /**
   * Security group of the tasks. Default: one is created (egress only). Either way the component
   * adds the ingress rules its clients need to it, and nothing else.
   */
  securityGroupId?: pulumi.Input<string>;
  /** CloudWatch Logs retention in days. Default 30. */
  logRetentionDays?: number;
  /** Extra tags on every taggable resource (project, stack and component are always set). Default none. */
  tags?: Record<string, string>;
}

export const PLACEMENT_DEFAULTS = { logRetentionDays: 30 } as const;

/** The FargateServiceArgs that follow from the placement: cluster, private subnets, group, discovery, logs. */
export function servicePlacement(name: string, args: PlacementArgs, securityGroupId: pulumi.Input<string>) {
  return {
    clusterArn: args.clusterArn,
    subnetIds: args.privateSubnetIds,
    securityGroupIds: [securityGroupId],
    discovery: { namespaceId: args.namespace.id, name },
    logRetentionDays: args.logRetentionDays ?? PLACEMENT_DEFAULTS.logRetentionDays,
  };
}

/** `<name>.<namespace>`: the DNS name Cloud Map answers for a component's tasks. */
export function discoveryName(name: string, args: PlacementArgs): pulumi.Output<string> {
  return pulumi.interpolate`${name}.${args.namespace.name}`;
}

/** The tasks' security group: the one given, or a new one. */
export function taskSecurityGroup(
  name: string,
  args: PlacementArgs,
  tags: Tags,
  opts: pulumi.CustomResourceOptions,
): { id: pulumi.Output<string>; created?: aws.ec2.SecurityGroup } {
  if (args.securityGroupId !== undefined) return { id: pulumi.output(args.securityGroupId) };
  const created = securityGroup(
    `${name}-tasks`,
    { vpcId: args.vpcId, description: `${name} tasks`, tags },
    opts,
  );
  return { id: created.id, created };
}
