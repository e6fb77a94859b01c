// Reading AWS resources the way every policy here does: by type token and provider inputs only, so
// the policies hold whatever component produced the resource. "Our" resources are recognised by
// their tags: every taggable resource carries `project`, `stack` and `component`, and the
// component tag is how a policy tells Prometheus's security group from Grafana's.
import { type PolicyResource, UnknownValueError } from "@pulumi/policy";

export type Props = Record<string, unknown>;

export const TYPES = {
  securityGroup: "aws:ec2/securityGroup:SecurityGroup",
  securityGroupRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
  ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  loadBalancers: ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"],
  listeners: ["aws:lb/listener:Listener", "aws:alb/listener:Listener"],
  targetGroups: ["aws:lb/targetGroup:TargetGroup", "aws:alb/targetGroup:TargetGroup"],
  taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
  ecsService: "aws:ecs/service:Service",
  ecsTaskSet: "aws:ecs/taskSet:TaskSet",
  discoveryService: "aws:servicediscovery/service:Service",
  dnsNamespaces: [
    "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace",
    "aws:servicediscovery/publicDnsNamespace:PublicDnsNamespace",
  ],
  buckets: ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"],
  bucketEncryption: [
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
  ],
  bucketObjects: ["aws:s3/bucketObjectv2:BucketObjectv2", "aws:s3/bucketObject:BucketObject"],
  efsFileSystem: "aws:efs/fileSystem:FileSystem",
  rdsInstance: "aws:rds/instance:Instance",
  rdsCluster: "aws:rds/cluster:Cluster",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
} as const;

/**
 * A property the provider computes when it is not given (a security group's inline `ingress`, a
 * bucket's encryption): during a preview it is unknown exactly when it was not given, so unknown
 * reads as undefined. Any other unknown value still stops the policy ("can't run during preview").
 */
export function givenOrUndefined(props: Props, key: string): unknown {
  try {
    return props[key];
  } catch (error) {
    if (error instanceof UnknownValueError) return undefined;
    throw error;
  }
}

export function isObject(value: unknown): value is Props {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A value as text for messages and matching: strings as they are, anything else as JSON. */
export function textOf(value: unknown): string {
  return typeof value === "string" ? value : (JSON.stringify(value) ?? "");
}

export function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

export function tagsOf(props: Props): Record<string, unknown> {
  return isObject(props["tags"]) ? props["tags"] : {};
}

/** The `component` tag, or undefined for resources without one. */
export function componentOf(resource: { props: Props }): string | undefined {
  const component = tagsOf(resource.props)["component"];
  return typeof component === "string" && component !== "" ? component : undefined;
}

/** `name (component x)` for messages. */
export function describe(resource: { name: string; props: Props }): string {
  const component = componentOf(resource);
  return component === undefined ? resource.name : `${resource.name} (component ${component})`;
}

/** The stack's resources that `resource`'s input `key` was computed from, of one of `types`. */
export function dependency(
  resource: PolicyResource,
  key: string,
  types: readonly string[],
): PolicyResource | undefined {
  return (resource.propertyDependencies[key] ?? []).find((d) => types.includes(d.type));
}

export interface ContainerDefinition {
  name: string;
  image?: string;
  command?: string[];
  environment?: { name: string; value?: string }[];
  portMappings?: { containerPort?: number }[];
}

/** A task definition's containers (`containerDefinitions` is JSON text in the provider's inputs). */
export function containersOf(props: Props): ContainerDefinition[] {
  const json = props["containerDefinitions"];
  if (typeof json !== "string") return [];
  const parsed: unknown = JSON.parse(json);
  return asArray(parsed).filter(
    (c): c is ContainerDefinition => isObject(c) && typeof c["name"] === "string",
  );
}

/** TCP/UDP port range of a rule; undefined when it covers every port (protocol -1 / all). */
export type PortRange = { from: number; to: number } | undefined;

export function portRange(protocol: unknown, fromPort: unknown, toPort: unknown): PortRange {
  if (protocol === "-1" || protocol === -1 || protocol === "all") return undefined;
  return { from: Number(fromPort), to: Number(toPort ?? fromPort) };
}

export function coversPort(range: PortRange, port: number): boolean {
  return range === undefined || (range.from <= port && port <= range.to);
}

export function portText(range: PortRange): string {
  if (range === undefined) return "every port";
  return range.from === range.to ? `port ${range.from}` : `ports ${range.from}-${range.to}`;
}
