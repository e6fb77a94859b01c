// Security groups without inline rules: every rule is its own resource, so a client component can
// open a port on a server's group (a BYO group too) and each rule says who may reach what.
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { Tags } from "./tags";

/** A group with no ingress and egress to anywhere (image pulls, AWS APIs, receivers). */
export function securityGroup(
  name: string,
  args: { vpcId: pulumi.Input<string>; description: string; tags: Tags },
  opts: pulumi.CustomResourceOptions,
): aws.ec2.SecurityGroup {
  const group = new aws.ec2.SecurityGroup(
    name,
    { vpcId: args.vpcId, description: args.description, tags: args.tags },
    opts,
  );
  new aws.vpc.SecurityGroupEgressRule(
    `${name}-egress`,
    {
      securityGroupId: group.id,
      ipProtocol: "-1",
      cidrIpv4: "0.0.0.0/0",
      description: "outbound",
      tags: args.tags,
    },
    opts,
  );
  return group;
}

/** Source of an ingress rule: another security group or a CIDR. */
export type Peer = { securityGroupId: pulumi.Input<string> } | { cidr: string };

/** Lets `from` reach TCP `port` of the group `securityGroupId`. */
export function allowTcp(
  name: string,
  args: { securityGroupId: pulumi.Input<string>; port: number; from: Peer; description: string; tags: Tags },
  opts: pulumi.CustomResourceOptions,
): aws.vpc.SecurityGroupIngressRule {
  const source =
    "cidr" in args.from
      ? { cidrIpv4: args.from.cidr }
      : { referencedSecurityGroupId: args.from.securityGroupId };
  return new aws.vpc.SecurityGroupIngressRule(
    name,
    {
      securityGroupId: args.securityGroupId,
      ipProtocol: "tcp",
      fromPort: args.port,
      toPort: args.port,
      description: args.description,
      tags: args.tags,
      ...source,
    },
    opts,
  );
}
