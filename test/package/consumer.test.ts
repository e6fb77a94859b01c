// The package as a user meets it: `npm pack` of components/, installed with its peer dependencies
// into a new Pulumi TypeScript program outside this repository (Pulumi's template tsconfig, strict),
// whose programs are exactly the README's "Importing the components" examples. They must
// type-check and run under mocks loaded the way Pulumi's Node.js runtime loads a program.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runLikePulumi, type ProgramRun } from "../infra/pulumi-runtime";

const ROOT = join(import.meta.dirname, "..", "..");
const README = readFileSync(join(ROOT, "README.md"), "utf8");
const rootPackage = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

/** The fenced block that follows `<!-- consumer: NAME -->` in the README. */
function readmeBlock(name: string): string {
  const match = new RegExp(`<!-- consumer: ${name} -->\\s*\`\`\`\\w+\\n([\\s\\S]*?)\`\`\``).exec(README);
  if (match?.[1] === undefined) throw new Error(`README has no block marked <!-- consumer: ${name} -->`);
  return match[1];
}

// `pulumi new typescript`'s tsconfig.json.
const TEMPLATE_TSCONFIG = {
  compilerOptions: {
    strict: true,
    outDir: "bin",
    target: "es2020",
    module: "commonjs",
    moduleResolution: "node",
    sourceMap: true,
    experimentalDecorators: true,
    pretty: true,
    noFallthroughCasesInSwitch: true,
    noImplicitReturns: true,
    forceConsistentCasingInFileNames: true,
  },
  files: ["index.ts", "grafana.ts"],
};

const run = (command: string, args: string[], cwd: string) =>
  execFileSync(command, args, {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 64 * 1024 * 1024,
  });

let dir: string;
let tarball: string;
/**
 * The package's own dependency on the service's contract, packed too: npm takes it from this
 * tarball instead of the registry (`overrides`), and the consumer names only the package.
 */
let overrides: Record<string, string>;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "showcase-consumer-"));
  const workspaces = ["showcase-monitoring-conventions", "showcase-monitoring"].flatMap((w) => [
    "--workspace",
    w,
  ]);
  const packed = JSON.parse(
    run("npm", ["pack", ...workspaces, "--pack-destination", dir, "--json"], ROOT),
  ) as { name: string; filename: string }[];
  const tarballOf = (name: string) => join(dir, packed.find((p) => p.name === name)?.filename ?? "");
  tarball = tarballOf("showcase-monitoring");
  overrides = { "showcase-monitoring-conventions": `file:${tarballOf("showcase-monitoring-conventions")}` };
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({ name: "consumer", main: "index.ts", private: true, overrides }),
  );
  writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(TEMPLATE_TSCONFIG));
  writeFileSync(join(dir, "index.ts"), readmeBlock("index.ts"));
  writeFileSync(join(dir, "grafana.ts"), readmeBlock("grafana.ts"));
  // The README's install command, with the package from the tarball and every package at this
  // repository's exact version (from npm's cache: no registry surprises in a test).
  const install = readmeBlock("install").trim().split(/\s+/);
  expect(install.slice(0, 2)).toEqual(["npm", "install"]);
  const pinned = install
    .slice(2)
    .map((pkg) => (pkg === "showcase-monitoring" ? tarball : `${pkg}@${rootPackage.dependencies[pkg]}`));
  const tools = ["typescript", "ts-node", "@types/node"].map(
    (pkg) => `${pkg}@${rootPackage.devDependencies[pkg]}`,
  );
  run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", ...pinned], dir);
  run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--save-dev", ...tools], dir);
  copyFileSync(join(ROOT, "test", "infra", "mocks.ts"), join(dir, "mocks.ts"));
}, 600_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the packed package", () => {
  it("ships JavaScript and declarations only, under its public name", () => {
    const files = run("tar", ["-tzf", tarball], dir).split("\n").filter(Boolean);
    expect(files).toContain("package/dist/index.js");
    expect(files).toContain("package/dist/index.d.ts");
    expect(files).toContain("package/dist/monitoring/index.js");
    expect(files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))).toEqual([]);
    const manifest = JSON.parse(
      readFileSync(join(dir, "node_modules", "showcase-monitoring", "package.json"), "utf8"),
    ) as {
      private?: boolean;
      peerDependencies: Record<string, string>;
    };
    expect(manifest.private).toBeUndefined();
    expect(Object.keys(manifest.peerDependencies).sort()).toEqual([
      "@pulumi/aws",
      "@pulumi/awsx",
      "@pulumi/pulumi",
      "@pulumi/random",
      "@pulumi/tls",
      "@pulumiverse/grafana",
    ]);
  });

  it("brings the service's contract along: a package of its own, without dependencies", () => {
    const contract = JSON.parse(
      readFileSync(join(dir, "node_modules", "showcase-monitoring-conventions", "package.json"), "utf8"),
    ) as { version: string; dependencies?: object; peerDependencies?: object };
    const manifest = JSON.parse(
      readFileSync(join(dir, "node_modules", "showcase-monitoring", "package.json"), "utf8"),
    ) as { version: string; dependencies: Record<string, string> };
    expect(manifest.dependencies["showcase-monitoring-conventions"]).toBe(manifest.version);
    expect(contract.version).toBe(manifest.version);
    expect([contract.dependencies, contract.peerDependencies]).toEqual([undefined, undefined]);
  });

  it("leaves one copy of the Pulumi SDK in the consumer's tree", () => {
    const copies = run("npm", ["ls", "@pulumi/pulumi", "--all", "--parseable"], dir)
      .split("\n")
      .filter(Boolean);
    expect(new Set(copies)).toEqual(new Set([join(dir, "node_modules", "@pulumi", "pulumi")]));
  });

  it("creates nothing at import time, and its generators load without Pulumi", () => {
    expect(
      run(process.execPath, ["-e", 'require("showcase-monitoring"); console.log("ok")'], dir).trim(),
    ).toBe("ok");
    const bare = mkdtempSync(join(tmpdir(), "showcase-generators-"));
    try {
      writeFileSync(join(bare, "package.json"), JSON.stringify({ name: "bare", private: true, overrides }));
      // No peer dependencies at all: only the package and its own dependencies.
      run(
        "npm",
        ["install", "--prefer-offline", "--no-audit", "--no-fund", "--legacy-peer-deps", tarball],
        bare,
      );
      const script = `
        const m = require("showcase-monitoring/monitoring");
        const files = m.renderRuleFiles({ environment: "x", slo: { availability: 0.99, latency: 0.95, latencyThresholdSeconds: 0.5 }, runbookBaseUrl: "https://r.example.com" });
        console.log(Object.keys(files).length > 0 && m.buildDashboards({}).length > 0);
        try { require("showcase-monitoring"); } catch (e) { console.log(e.code); }`;
      expect(run(process.execPath, ["-e", script], bare).trim().split("\n")).toEqual([
        "true",
        "MODULE_NOT_FOUND",
      ]);
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }
  }, 300_000);

  it("type-checks the README's programs under the template's strict tsconfig", () => {
    expect(() => run(join(dir, "node_modules", ".bin", "tsc"), ["--noEmit", "-p", "."], dir)).not.toThrow();
  }, 300_000);
});

describe("the README's program: a service of its own in its own VPC and cluster", () => {
  let result: ProgramRun;
  beforeAll(async () => {
    result = await runLikePulumi({
      cwd: dir,
      project: "consumer",
      stack: "prod",
      config: {
        "consumer:databaseUrl": "postgres://orders:pw@db:5432/orders",
        "consumer:slackWebhookUrl": "https://hooks.slack.com/x",
      },
      secretKeys: ["consumer:databaseUrl", "consumer:slackWebhookUrl"],
      mocks: "mocks.ts",
    });
  }, 300_000);

  const one = (type: string, name: string) => {
    const found = result.resources.filter((r) => r.type === type && r.name === name);
    expect(found, `${type} ${name}`).toHaveLength(1);
    return found[0]!;
  };

  it("builds the three components on the consumer's VPC, subnets and cluster", () => {
    const components = result.resources.filter((r) => r.type.startsWith("showcase-monitoring:index:"));
    expect(components.map((c) => `${c.type.split(":")[2]} ${c.name}`).sort()).toEqual([
      "AlertingRules alerts",
      "AppService orders",
      "PrometheusServer prometheus",
    ]);
    expect(result.resources.filter((r) => r.type === "aws:ec2/vpc:Vpc")).toHaveLength(1);
    expect(result.resources.filter((r) => r.type.startsWith("awsx:ec2"))).toEqual([]);
    const service = one("aws:ecs/service:Service", "orders-service");
    expect(service.inputs["cluster"]).toMatch(/cluster\/orders/);
    expect((service.inputs["networkConfiguration"] as { subnets: string[] }).subnets).toEqual([
      "orders-private-a-id",
      "orders-private-b-id",
    ]);
  });

  it("runs the consumer's image on its ports and health check", () => {
    const containers = JSON.parse(
      String(one("aws:ecs/taskDefinition:TaskDefinition", "orders-task").inputs["containerDefinitions"]),
    ) as {
      name: string;
      image: string;
      portMappings: { containerPort: number }[];
    }[];
    expect(containers[0]).toMatchObject({ name: "app", image: "ghcr.io/example/orders:4.2.0" });
    expect(containers[0]?.portMappings.map((p) => p.containerPort)).toEqual([8080, 9100]);
    expect(one("aws:lb/targetGroup:TargetGroup", "orders-tg").inputs).toMatchObject({
      port: 8080,
      healthCheck: { path: "/healthz" },
    });
    expect(result.resources.filter((r) => r.type === "awsx:ecr:Image")).toEqual([]);
  });

  it("scrapes the service's metrics port as job orders and delivers the rules", () => {
    const objects = result.resources.filter((r) => r.type === "aws:s3/bucketObjectv2:BucketObjectv2");
    const prometheusYml = objects.find((o) => String(o.inputs["key"]).endsWith("/prometheus.yml"));
    expect(String(prometheusYml?.inputs["content"])).toContain("job_name: orders");
    expect(String(prometheusYml?.inputs["content"])).toContain("/etc/prometheus/discovery/orders.json");
    // Every task of the service, found through Cloud Map's API on the service's metrics port.
    const task = one("aws:ecs/taskDefinition:TaskDefinition", "prometheus-task");
    expect(String(task.inputs["containerDefinitions"])).toContain(
      "orders.internal orders 9100 /etc/prometheus/discovery/orders.json",
    );
    expect(objects.filter((o) => String(o.inputs["key"]).includes("/rules/")).length).toBeGreaterThan(3);
  });

  it("exports the service's URL", () => {
    expect(result.outputs["url"]).toMatch(/^http:\/\/orders-alb-123\./);
  });
});

describe("the README's second program: only the dashboards, in an existing Grafana", () => {
  it("creates its own provider for that Grafana and the dashboards through it, and nothing on AWS", async () => {
    const result = await runLikePulumi({
      cwd: dir,
      project: "consumer",
      stack: "prod",
      config: { "consumer:grafanaToken": "glsa_example" },
      secretKeys: ["consumer:grafanaToken"],
      mocks: "mocks.ts",
      main: "grafana.ts",
    });
    expect(result.resources.filter((r) => r.type.startsWith("aws:"))).toEqual([]);
    expect(result.resources.filter((r) => r.type === "pulumi:providers:grafana")).toHaveLength(1);
    expect(
      result.resources.filter((r) => r.type === "grafana:oss/dashboard:Dashboard").length,
    ).toBeGreaterThan(4);
    const urls = Object.values(result.outputs["dashboards"] as Record<string, string>);
    expect(urls.every((url) => url.startsWith("https://example.grafana.net/d/"))).toBe(true);
  }, 300_000);
});
