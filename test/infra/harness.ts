// Helpers of the infra tests on top of the mocks: output values, container definitions, tags.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type * as pulumi from "@pulumi/pulumi";
import { PROJECT, type Recorded, reveal } from "./mocks";

export * from "./mocks";

const require = createRequire(import.meta.url);

/** The value of an output (mocks run with preview off, so every output is known). */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((value) => resolve(value)));
}

/** The parsed container definitions of a recorded task definition. */
export function containersOf(taskDefinition: Recorded): ContainerDefinition[] {
  const json = taskDefinition.inputs["containerDefinitions"];
  if (typeof json !== "string")
    throw new Error(`${taskDefinition.name}: containerDefinitions is not plain JSON text`);
  return JSON.parse(json) as ContainerDefinition[];
}

export interface ContainerDefinition {
  name: string;
  image: string;
  user?: string;
  essential?: boolean;
  command?: string[];
  environment?: { name: string; value: string }[];
  secrets?: { name: string; valueFrom: string }[];
  portMappings?: { containerPort: number }[];
  mountPoints?: { sourceVolume: string; containerPath: string; readOnly?: boolean }[];
  dependsOn?: { containerName: string; condition: string }[];
  stopTimeout?: number;
  linuxParameters?: { initProcessEnabled?: boolean };
  healthCheck?: { command: string[]; startPeriod?: number };
}

const taggable = new Map<string, boolean>();

/** Whether the AWS provider accepts `tags` on a resource type (read from the SDK's own types). */
export function isTaggable(type: string): boolean {
  const known = taggable.get(type);
  if (known !== undefined) return known;
  const match = /^aws:([\w-]+)\/(\w+):(\w+)$/.exec(type);
  if (match === null) throw new Error(`not an AWS resource type: ${type}`);
  const [, module, file, className] = match;
  const source = readFileSync(require.resolve(`@pulumi/aws/${module}/${file}.d.ts`), "utf8");
  const args = new RegExp(`export interface ${className}Args \\{([\\s\\S]*?)\\n\\}`).exec(source)?.[1];
  if (args === undefined) throw new Error(`no ${className}Args in @pulumi/aws/${module}/${file}`);
  const result = /\n {4}tags\?:/.test(args);
  taggable.set(type, result);
  return result;
}

/** AWS resources that accept tags but lack project/stack/component ones. */
export function untagged(resources: Recorded[]): string[] {
  return resources
    .filter((r) => r.type.startsWith("aws:") && isTaggable(r.type))
    .filter((r) => {
      const tags = (r.inputs["tags"] ?? {}) as Record<string, unknown>;
      return !(
        tags["project"] === PROJECT &&
        typeof tags["stack"] === "string" &&
        typeof tags["component"] === "string"
      );
    })
    .map((r) => `${r.type} ${r.name}`);
}

export interface Ingress {
  name: string;
  /** Security group the rule opens. */
  securityGroupId: string;
  port: number;
  /** The peer: a CIDR or a security group id. */
  from: string;
}

/** Every ingress rule: standalone rules (the components use no inline rules). */
export function ingressRules(resources: Recorded[]): Ingress[] {
  return resources
    .filter((r) => r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
    .map((r) => {
      const { securityGroupId, fromPort, toPort, cidrIpv4, referencedSecurityGroupId } = r.inputs;
      if (fromPort !== toPort)
        throw new Error(`${r.name}: a port range ${String(fromPort)}-${String(toPort)}`);
      return {
        name: r.name,
        securityGroupId: String(securityGroupId),
        port: Number(fromPort),
        from: String(cidrIpv4 ?? referencedSecurityGroupId),
      };
    });
}

/** The IAM policy document of a recorded role policy. */
export function policyOf(rolePolicy: Recorded): {
  Statement: { Effect: string; Action: string[]; Resource: unknown }[];
} {
  return JSON.parse(String(reveal(rolePolicy.inputs["policy"]))) as {
    Statement: { Effect: string; Action: string[]; Resource: unknown }[];
  };
}
