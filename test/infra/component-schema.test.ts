// The components as a multi-language Pulumi package: the schema `pulumi package add` infers from
// the sources (ComponentProvider, offline) covers every component, documents every input and is
// the committed components/schema.json; every output in it is registered by the component.
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { componentSchema, SCHEMA_FILE } from "../../tools/component-schema";
import { installMocks, settle } from "./harness";
import { stackValues } from "./stack-files";

interface Property {
  description?: string;
  $ref?: string;
  type?: string;
}
interface Resource {
  isComponent: boolean;
  description?: string;
  inputProperties: Record<string, Property>;
  requiredInputs?: string[];
  properties: Record<string, Property>;
}
interface Schema {
  name: string;
  version: string;
  resources: Record<string, Resource>;
  types: Record<string, { properties?: Record<string, Property>; enum?: unknown[] }>;
}

const COMPONENTS = [
  "AlertingRules",
  "AppService",
  "GrafanaContent",
  "GrafanaServer",
  "InternalCertificateAuthority",
  "PrometheusServer",
];

describe("the components' Pulumi package schema", () => {
  let text: string;
  let schema: Schema;
  beforeAll(async () => {
    text = await componentSchema();
    schema = JSON.parse(text) as Schema;
  }, 120_000);

  it("is the committed components/schema.json (regenerate with `npm run schema`)", () => {
    expect(text).toBe(readFileSync(SCHEMA_FILE, "utf8"));
  });

  it("has every component under the package's own name and version", () => {
    const pkg = JSON.parse(readFileSync("components/package.json", "utf8")) as {
      name: string;
      version: string;
    };
    expect(schema.name).toBe(pkg.name);
    expect(schema.version).toBe(pkg.version);
    expect(Object.keys(schema.resources).sort()).toEqual(
      COMPONENTS.map((c) => `showcase-monitoring:index:${c}`),
    );
    for (const resource of Object.values(schema.resources)) expect(resource.isComponent).toBe(true);
  });

  it("describes every input, and every property of every input type", () => {
    const undocumented: string[] = [];
    for (const [token, resource] of Object.entries(schema.resources)) {
      for (const [name, property] of Object.entries(resource.inputProperties)) {
        if (!property.description) undocumented.push(`${token}.${name}`);
      }
    }
    for (const [token, type] of Object.entries(schema.types)) {
      for (const [name, property] of Object.entries(type.properties ?? {})) {
        // Fields of the generators' threshold/SLO/rules inputs are documented where they are defined.
        if (!property.description) undocumented.push(`${token}.${name}`);
      }
    }
    expect(undocumented).toEqual([]);
  });

  it("references AWS resources as outputs: the principal children", () => {
    const app = schema.resources["showcase-monitoring:index:AppService"];
    for (const child of [
      "service",
      "taskDefinition",
      "taskRole",
      "executionRole",
      "loadBalancer",
      "targetGroup",
      "logGroup",
    ]) {
      expect(app?.properties[child]?.$ref, child).toMatch(
        /^\/aws\/v7\.\d+\.\d+\/schema\.json#\/resources\/aws:/,
      );
    }
  });

  describe.each(["dev", "prod"] as const)("in the %s program", (stack) => {
    let registered: Map<string, Set<string>>;
    beforeAll(async () => {
      vi.resetModules();
      const values = stackValues(stack);
      const recorder = await installMocks({ stack, config: values.config, secretKeys: values.secretKeys });
      await import("../../index");
      await settle(recorder);
      registered = new Map();
      for (const [urn, keys] of recorder.registeredOutputs) {
        const type = urn.split("::")[2]?.split("$").pop() ?? "";
        if (type.startsWith("showcase-monitoring:index:")) registered.set(type, new Set(keys));
      }
    }, 120_000);

    it("registers every output the schema declares that has a value in this stack", () => {
      for (const [token, resource] of Object.entries(schema.resources)) {
        const keys = registered.get(token);
        expect(keys, token).toBeDefined();
        const extra = [...(keys ?? [])].filter((key) => !(key in resource.properties));
        expect(extra, `${token} registers outputs the schema lacks`).toEqual([]);
      }
    });

    it("leaves no output unregistered across both stacks' optional parts", () => {
      // An output is optional only when its value may be undefined (e.g. the AMP workspace).
      for (const [token, resource] of Object.entries(schema.resources)) {
        const keys = registered.get(token) ?? new Set<string>();
        const required = Object.keys(resource.properties).filter(
          (key) => !OPTIONAL_OUTPUTS[stack].includes(`${token}.${key}`),
        );
        expect(
          required.filter((key) => !keys.has(key)),
          token,
        ).toEqual([]);
      }
    });
  });
});

/** Outputs without a value in a stack (so absent from what it registers), by stack. */
const WITHOUT_TLS = [
  "showcase-monitoring:index:AppService.metricsTokenSecretArn",
  "showcase-monitoring:index:AppService.tlsServerName",
];
const OPTIONAL_OUTPUTS: Record<"dev" | "prod", string[]> = {
  dev: [
    "showcase-monitoring:index:AppService.ecsExporterPort",
    "showcase-monitoring:index:PrometheusServer.workspace",
    ...WITHOUT_TLS,
  ],
  prod: ["showcase-monitoring:index:PrometheusServer.fileSystem", ...WITHOUT_TLS],
};
