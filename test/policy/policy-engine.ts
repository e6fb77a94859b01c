// The Pulumi engine's side of a policy run, for the tests and the README examples: the pack starts as
// the engine starts it (Node.js, @pulumi/pulumi's run-policy-pack, ts-node type-checking the pack,
// the port read from stdout) and is driven over its real gRPC interface: GetAnalyzerInfo, Configure
// with policy/config.json reconciled as the engine does (schema defaults, then the file, validated),
// Analyze for each resource and AnalyzeStack for the whole set.
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as analyzerrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzer from "@pulumi/pulumi/proto/analyzer_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import Ajv from "ajv";
import type { ResourceSet, StackResource } from "./resource-set";

const require = createRequire(import.meta.url);
export const POLICY_DIR = join(import.meta.dirname, "..", "..", "policy");
export const POLICY_CONFIG_FILE = join(POLICY_DIR, "config.json");

export type Level = "advisory" | "mandatory" | "remediate" | "disabled";
const LEVELS: Record<number, Level> = {
  [analyzer.EnforcementLevel.ADVISORY]: "advisory",
  [analyzer.EnforcementLevel.MANDATORY]: "mandatory",
  [analyzer.EnforcementLevel.DISABLED]: "disabled",
  [analyzer.EnforcementLevel.REMEDIATE]: "remediate",
};
const LEVEL_CODES = Object.fromEntries(Object.entries(LEVELS).map(([code, level]) => [level, Number(code)]));

export interface PolicyInfo {
  name: string;
  description: string;
  enforcementLevel: Level;
  severity: string;
  configSchema: { properties: Record<string, Record<string, unknown>>; required: string[] } | undefined;
}

export interface Violation {
  policyName: string;
  policyPackName: string;
  policyPackVersion: string;
  enforcementLevel: Level;
  severity: string;
  /** What the CLI prints under the policy line: the description, then the policy's message. */
  message: string;
  /** The resource reported on; empty for a stack policy reporting on the stack. */
  urn: string;
}

/** Per-policy configuration as the engine hands it to the pack. */
export type PolicyConfig = Record<string, { enforcementLevel?: Level; properties: Record<string, unknown> }>;

/** A policy config file's content: a policy name → a level, or an object with optional level. */
export type ConfigFile = Record<string, Level | Record<string, unknown>>;

export function readConfigFile(path = POLICY_CONFIG_FILE): ConfigFile {
  return JSON.parse(readFileSync(path, "utf8")) as ConfigFile;
}

const SEVERITIES: Record<number, string> = { 0: "", 1: "low", 2: "medium", 3: "high", 4: "critical" };

function call<Req, Res>(
  method: (request: Req, callback: (error: grpc.ServiceError | null, response: Res) => void) => unknown,
  request: Req,
): Promise<Res> {
  return new Promise((resolve, reject) => {
    method(request, (error, response) => (error === null ? resolve(response) : reject(error)));
  });
}

export class PolicyPackProcess {
  private constructor(
    private readonly child: ChildProcess,
    private readonly client: analyzerrpc.AnalyzerClient,
  ) {}

  /** Starts policy/ the way the engine does; rejects with the pack's stderr when it fails to start. */
  static async start(): Promise<PolicyPackProcess> {
    const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack");
    const child = spawn(process.execPath, [runner, "127.0.0.1:0", "."], {
      cwd: POLICY_DIR,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const port = await new Promise<number>((resolve, reject) => {
      let stdout = "";
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        const line = /^(\d+)\s*$/m.exec(stdout);
        if (line !== null) resolve(Number(line[1]));
      });
      child.on("exit", (code) =>
        reject(new Error(`the policy pack exited (${code}) before serving:\n${stderr}`)),
      );
    });
    const client = new analyzerrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    return new PolicyPackProcess(child, client);
  }

  async stop(): Promise<void> {
    this.client.close();
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once("exit", resolve));
    this.child.kill();
    await exited;
  }

  async info(): Promise<{ name: string; version: string; policies: PolicyInfo[] }> {
    const info = await call<Empty, analyzer.AnalyzerInfo>(
      this.client.getAnalyzerInfo.bind(this.client),
      new Empty(),
    );
    return {
      name: info.getName(),
      version: info.getVersion(),
      policies: info.getPoliciesList().map((p) => {
        const schema = p.getConfigschema();
        return {
          name: p.getName(),
          description: p.getDescription(),
          enforcementLevel: LEVELS[p.getEnforcementlevel()] ?? "advisory",
          severity: SEVERITIES[p.getSeverity()] ?? "",
          configSchema:
            schema === undefined
              ? undefined
              : {
                  properties: (schema.getProperties()?.toJavaScript() ?? {}) as Record<
                    string,
                    Record<string, unknown>
                  >,
                  required: schema.getRequiredList(),
                },
        };
      }),
    };
  }

  async configure(config: PolicyConfig): Promise<void> {
    const request = new analyzer.ConfigureAnalyzerRequest();
    for (const [name, { enforcementLevel, properties }] of Object.entries(config)) {
      const policyConfig = new analyzer.PolicyConfig();
      if (enforcementLevel !== undefined)
        policyConfig.setEnforcementlevel(LEVEL_CODES[enforcementLevel] ?? 0);
      policyConfig.setProperties(Struct.fromJavaScript(properties as never));
      request.getPolicyconfigMap().set(name, policyConfig);
    }
    await call(this.client.configure.bind(this.client), request);
  }

  /**
   * Analyze on each of `analyzed` (default: every resource), then AnalyzeStack on the whole set:
   * every diagnostic, in that order.
   */
  async analyze(set: ResourceSet, analyzed: StackResource[] = set.resources): Promise<Violation[]> {
    const violations: Violation[] = [];
    for (const resource of analyzed) {
      const request = new analyzer.AnalyzeRequest()
        .setType(resource.type)
        .setName(resource.name)
        .setUrn(resource.urn)
        .setProperties(properties(resource))
        .setOptions(options(resource));
      const response = await call<analyzer.AnalyzeRequest, analyzer.AnalyzeResponse>(
        this.client.analyze.bind(this.client),
        request,
      );
      // The engine attributes a resource policy's diagnostics to the resource it analyzed.
      violations.push(...response.getDiagnosticsList().map((d) => violation(d, resource.urn)));
    }
    const stack = new analyzer.AnalyzeStackRequest().setResourcesList(set.resources.map(analyzerResource));
    const response = await call<analyzer.AnalyzeStackRequest, analyzer.AnalyzeResponse>(
      this.client.analyzeStack.bind(this.client),
      stack,
    );
    violations.push(...response.getDiagnosticsList().map((d) => violation(d, "")));
    return violations;
  }
}

function properties(resource: StackResource): Struct {
  // JSON round trip: the engine sends no `undefined`.
  return Struct.fromJavaScript(JSON.parse(JSON.stringify(resource.props)) as never);
}

function options(resource: StackResource): analyzer.AnalyzerResourceOptions {
  const opts = new analyzer.AnalyzerResourceOptions().setProtect(resource.protect);
  if (resource.parent !== undefined) opts.setParent(resource.parent);
  return opts;
}

function analyzerResource(resource: StackResource): analyzer.AnalyzerResource {
  const result = new analyzer.AnalyzerResource()
    .setType(resource.type)
    .setName(resource.name)
    .setUrn(resource.urn)
    .setProperties(properties(resource))
    .setOptions(options(resource))
    .setDependenciesList(resource.dependencies);
  if (resource.parent !== undefined) result.setParent(resource.parent);
  for (const [key, urns] of Object.entries(resource.propertyDependencies)) {
    result
      .getPropertydependenciesMap()
      .set(key, new analyzer.AnalyzerPropertyDependencies().setUrnsList(urns));
  }
  return result;
}

function violation(d: analyzer.AnalyzeDiagnostic, analyzedUrn: string): Violation {
  return {
    policyName: d.getPolicyname(),
    policyPackName: d.getPolicypackname(),
    policyPackVersion: d.getPolicypackversion(),
    enforcementLevel: LEVELS[d.getEnforcementlevel()] ?? "advisory",
    severity: SEVERITIES[d.getSeverity()] ?? "",
    message: d.getMessage(),
    urn: d.getUrn() || analyzedUrn,
  };
}

/**
 * The engine's reconciliation (pkg/resource/analyzer/config.go): each policy starts from its schema's
 * defaults and level, "all" sets every level, a policy's entry overrides level and top-level keys,
 * and the result must satisfy the policy's schema. Throws listing every schema error.
 */
export function reconcileConfig(policies: PolicyInfo[], file: ConfigFile): PolicyConfig {
  const result: PolicyConfig = {};
  for (const policy of policies) {
    const defaults: Record<string, unknown> = {};
    for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
      if ("default" in schema) defaults[key] = schema["default"];
    }
    result[policy.name] = { enforcementLevel: policy.enforcementLevel, properties: defaults };
  }
  const all = file["all"];
  if (typeof all === "string") for (const config of Object.values(result)) config.enforcementLevel = all;
  for (const [name, given] of Object.entries(file)) {
    if (name === "all") continue;
    const current = result[name] ?? { properties: {} };
    if (typeof given === "string") current.enforcementLevel = given;
    else {
      const { enforcementLevel, ...properties } = given;
      if (enforcementLevel !== undefined) current.enforcementLevel = enforcementLevel as Level;
      Object.assign(current.properties, properties);
    }
    result[name] = current;
  }
  const ajv = new Ajv({ allErrors: true, strict: false });
  const errors = policies.flatMap((policy) => {
    if (policy.configSchema === undefined) return [];
    const validate = ajv.compile({
      type: "object",
      properties: policy.configSchema.properties,
      ...(policy.configSchema.required.length > 0 ? { required: policy.configSchema.required } : {}),
    });
    if (validate(result[policy.name]?.properties ?? {})) return [];
    return (validate.errors ?? []).map(
      (e) => `${policy.name}: ${e.instancePath || "(root)"} ${e.message ?? ""}`,
    );
  });
  if (errors.length > 0) throw new Error(`policy config is invalid:\n${errors.join("\n")}`);
  return result;
}
