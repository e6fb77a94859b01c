// Pulumi mocks for the infra tests: every registered resource is recorded with its inputs, and the
// mocks return the outputs the program reads (ARNs, DNS names, endpoints, subnet CIDRs...).
// Plain CommonJS-compatible TypeScript: the entry-point test loads it through ts-node too.
import * as pulumi from "@pulumi/pulumi";

export const PROJECT = "showcase-monitoring";
export const ACCOUNT = "123456789012";
export const REGION = "us-east-1";

const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** True when a mock input is a Pulumi secret (the mock monitor keeps the secret wrapper). */
export function isSecret(value: unknown): boolean {
  return (
    typeof value === "object" && value !== null && (value as Record<string, unknown>)[SIG_KEY] === SECRET_SIG
  );
}

/** The value inside secret wrappers, recursively. */
export function reveal(value: unknown): unknown {
  if (isSecret(value)) return reveal((value as { value: unknown }).value);
  if (Array.isArray(value)) return value.map(reveal);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, reveal(v)]));
  }
  return value;
}

export interface Recorded {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  /** URN: its type part names the parent chain (`showcase-monitoring:index:AppService$aws:...`). */
  urn: string;
  /** `<provider urn>::<id>` of an explicit provider (inherited ones included), if any. */
  provider?: string;
}

/** Deterministic subnet CIDRs for the mocked getSubnet. */
export function subnetCidr(id: string): string {
  const n = [...id].reduce((sum, c) => sum + c.charCodeAt(0), 0) % 250;
  return `10.99.${n}.0/24`;
}

/** A PEM block whose body names the resource (mocks need the shape, not a real key). */
function pem(label: string, name: string): string {
  return `-----BEGIN ${label}-----\n${Buffer.from(name).toString("base64")}\n-----END ${label}-----\n`;
}

function outputsOf(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
  const [pkg, module] = type.split(":");
  const service = (module ?? "").split("/")[0];
  const arn = `arn:aws:${service}:${REGION}:${ACCOUNT}:${name}`;
  const base = { ...inputs, arn, name: inputs["name"] ?? `${name}-1a2b3c4` };
  switch (type) {
    case "aws:ecs/cluster:Cluster":
      return { ...base, arn: `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/${name}-1a2b3c4` };
    case "aws:lb/loadBalancer:LoadBalancer":
      return {
        ...base,
        dnsName: `${name}-123.${REGION}.elb.amazonaws.com`,
        zoneId: "Z35SXDOTRQ7X7K",
        arnSuffix: `app/${name}/0123456789abcdef`,
      };
    case "aws:lb/targetGroup:TargetGroup":
      return { ...base, arnSuffix: `targetgroup/${name}/fedcba9876543210` };
    case "aws:secretsmanager/secret:Secret":
      return { ...base, arn: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:${name}-AbCdEf` };
    case "aws:rds/instance:Instance":
      return {
        ...base,
        identifier: `${name}-db1`,
        address: `${name}.abc.${REGION}.rds.amazonaws.com`,
        port: 5432,
        masterUserSecrets: [
          { secretArn: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:rds!db-${name}-XyZ123` },
        ],
      };
    case "aws:s3/bucket:Bucket":
      return { ...base, bucket: `${name}-bucket`, arn: `arn:aws:s3:::${name}-bucket` };
    case "aws:ecr/repository:Repository":
      return { ...base, repositoryUrl: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/${name}` };
    case "aws:amp/workspace:Workspace":
      return {
        ...base,
        prometheusEndpoint: `https://aps-workspaces.${REGION}.amazonaws.com/workspaces/ws-${name}/`,
      };
    case "awsx:ec2:Vpc":
      return {
        vpcId: `vpc-0${name.length}0000000000000`,
        publicSubnetIds: ["subnet-0a1", "subnet-0a2", "subnet-0a3"],
        privateSubnetIds: ["subnet-0b1", "subnet-0b2", "subnet-0b3"],
      };
    case "awsx:ecr:Image":
      return { imageUri: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/app@sha256:${"ab".repeat(32)}` };
    case "random:index/randomPassword:RandomPassword":
      return {
        ...inputs,
        result: `generated-${name}`,
        bcryptHash: mockBcryptHash(name),
      };
    case "tls:index/privateKey:PrivateKey":
      return { ...inputs, privateKeyPem: pem("PRIVATE KEY", name) };
    case "tls:index/certRequest:CertRequest":
      return { ...inputs, certRequestPem: pem("CERTIFICATE REQUEST", name) };
    case "tls:index/selfSignedCert:SelfSignedCert":
    case "tls:index/locallySignedCert:LocallySignedCert":
      return { ...inputs, certPem: pem("CERTIFICATE", name) };
    default:
      return pkg === "aws" ? base : { ...inputs };
  }
}

/** The bcrypt hash the mocks give RandomPassword `name`: its shape, $2a$10$ + 53 characters of bcrypt's alphabet. */
export function mockBcryptHash(name: string): string {
  return `$2a$10$${name
    .replace(/[^./A-Za-z0-9]/g, ".")
    .padEnd(53, "x")
    .slice(0, 53)}`;
}

export class Recorder {
  readonly resources: Recorded[] = [];
  /** URN → names of the outputs a component registered (registerOutputs), once settled. */
  readonly registeredOutputs = new Map<string, string[]>();
  /** The mocks; `urn` is filled from the monitor once the program has run. */
  readonly mocks: pulumi.runtime.Mocks = {
    newResource: (args) => {
      this.resources.push({
        type: args.type,
        name: args.name,
        inputs: args.inputs as Record<string, unknown>,
        urn: "",
        ...(args.provider === undefined ? {} : { provider: args.provider }),
      });
      return {
        id: `${args.name}-id`,
        state: outputsOf(args.type, args.name, args.inputs as Record<string, unknown>),
      };
    },
    call: (args) => {
      const inputs = args.inputs as Record<string, string>;
      switch (args.token) {
        case "aws:index/getRegion:getRegion":
          return { region: REGION, name: REGION, id: REGION };
        case "aws:index/getCallerIdentity:getCallerIdentity":
          return {
            accountId: ACCOUNT,
            arn: `arn:aws:iam::${ACCOUNT}:user/test`,
            userId: "test",
            id: ACCOUNT,
          };
        case "aws:ec2/getSubnet:getSubnet":
          return { id: inputs["id"], cidrBlock: subnetCidr(inputs["id"] ?? "") };
        default:
          throw new Error(`unmocked call ${args.token}`);
      }
    },
  };

  ofType(type: string): Recorded[] {
    return this.resources.filter((r) => r.type === type);
  }

  /** The one resource of `type` named `name`. */
  one(type: string, name: string): Recorded {
    const found = this.resources.filter((r) => r.type === type && r.name === name);
    if (found.length !== 1) {
      const names = this.ofType(type).map((r) => r.name);
      throw new Error(
        `expected one ${type} named ${name}, found ${found.length} (have: ${names.join(", ")})`,
      );
    }
    return found[0] as Recorded;
  }

  /** Fills URNs from the mock monitor (they carry the parent chain). */
  collectUrns(monitor: { getRegisteredResources(): Map<string, unknown> }): void {
    const registered = monitor.getRegisteredResources() as Map<string, { state?: unknown }>;
    const urns = [...registered.keys()];
    for (const [urn, { state }] of registered) {
      // registerOutputs leaves a protobuf Struct; a registered resource's state is a plain object.
      const struct = state as { toJavaScript?: () => Record<string, unknown> } | undefined;
      if (typeof struct?.toJavaScript === "function") {
        this.registeredOutputs.set(urn, Object.keys(struct.toJavaScript()));
      }
    }
    for (const resource of this.resources) {
      const urn = urns.find(
        (u) => u.endsWith(`::${resource.name}`) && u.split("::")[2]?.split("$").pop() === resource.type,
      );
      resource.urn = urn ?? "";
    }
  }
}

/** Stack config as Pulumi passes it (structured values as JSON text). */
export type StackConfigValues = Record<string, unknown>;

/** Installs config and mocks; call before importing the program or constructing components. */
export async function installMocks(options: {
  stack: string;
  /** Pulumi project (the config namespace). Default showcase-monitoring. */
  project?: string;
  config?: StackConfigValues;
  secretKeys?: string[];
}): Promise<Recorder> {
  const recorder = new Recorder();
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.config ?? {})) {
    config[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  pulumi.runtime.setAllConfig(config, options.secretKeys ?? []);
  await pulumi.runtime.setMocks(recorder.mocks, options.project ?? PROJECT, options.stack, false);
  return recorder;
}

/** Waits until every registration (including those made inside applies) has reached the mocks. */
export async function settle(recorder: Recorder): Promise<void> {
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    getRegisteredResources(): Map<string, unknown>;
  };
  await pulumi.runtime.disconnect();
  recorder.collectUrns(monitor);
}
