// The network the examples run in: your own VPC, subnets, ECS cluster and Cloud Map namespace.
// Bring the ids of the ones you have instead; every component takes them as inputs.
import * as aws from "@pulumi/aws";

const vpc = new aws.ec2.Vpc("example", { cidrBlock: "10.30.0.0/16", enableDnsHostnames: true });
const subnetIds = (tier: string, offset: number) =>
  ["a", "b"].map(
    (az, index) =>
      new aws.ec2.Subnet(`example-${tier}-${az}`, {
        vpcId: vpc.id,
        availabilityZone: `us-east-1${az}`,
        cidrBlock: `10.30.${offset + index}.0/24`,
      }).id,
  );
const cluster = new aws.ecs.Cluster("example");
const namespace = new aws.servicediscovery.PrivateDnsNamespace("example", {
  name: "example.internal",
  vpc: vpc.id,
});

export const publicSubnetIds = subnetIds("public", 10);
export const placement = {
  vpcId: vpc.id,
  privateSubnetIds: subnetIds("private", 0),
  clusterArn: cluster.arn,
  namespace: { id: namespace.id, name: namespace.name },
};
