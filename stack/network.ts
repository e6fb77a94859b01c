// The network the stack runs in: a new awsx VPC (public subnets for the load balancers, private
// ones with NAT for the tasks) or an existing VPC and subnets. Subnet ids come back as one output
// per AZ, so components can create one resource per subnet (EFS mount targets).
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import type { Tags } from "showcase-monitoring";
import type { NetworkConfig } from "./config";

export interface Network {
  vpcId: pulumi.Output<string>;
  publicSubnetIds: pulumi.Output<string>[];
  privateSubnetIds: pulumi.Output<string>[];
}

export function createNetwork(name: string, config: NetworkConfig, tags: Tags): Network {
  if (config.kind === "existing") {
    return {
      vpcId: pulumi.output(config.vpcId),
      publicSubnetIds: config.publicSubnetIds.map((id) => pulumi.output(id)),
      privateSubnetIds: config.privateSubnetIds.map((id) => pulumi.output(id)),
    };
  }
  const vpc = new awsx.ec2.Vpc(name, {
    cidrBlock: config.cidr,
    numberOfAvailabilityZones: config.availabilityZones,
    subnetStrategy: "Auto",
    natGateways: { strategy: config.natGateways === "single" ? "Single" : "OnePerAz" },
    // Cloud Map private DNS and EFS mount target names need both.
    enableDnsHostnames: true,
    enableDnsSupport: true,
    tags,
  });
  const perAz = (ids: pulumi.Output<string[]>, kind: string) =>
    Array.from({ length: config.availabilityZones }, (_, index) =>
      ids.apply((list) => {
        const id = list[index];
        if (id === undefined)
          throw new Error(
            `${name}: VPC has ${list.length} ${kind} subnets, expected ${config.availabilityZones}`,
          );
        return id;
      }),
    );
  return {
    vpcId: vpc.vpcId,
    publicSubnetIds: perAz(vpc.publicSubnetIds, "public"),
    privateSubnetIds: perAz(vpc.privateSubnetIds, "private"),
  };
}
