// Loads index.ts the way Pulumi's Node.js language host does (ts-node registered with the project's
// tsconfig.json and typescript, type-checking on, then require of the package's main), under mocks,
// in a fresh process: a program that would not start under `pulumi up` fails here.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { stackValues } from "./stack-files";

const ROOT = join(import.meta.dirname, "..", "..");

// Mirrors @pulumi/pulumi/cmd/run/run.js for a CommonJS TypeScript project.
const LOADER = `
const path = require("node:path");
const tsutils = require("@pulumi/pulumi/tsutils");
const compilerOptions = tsutils.loadTypeScriptCompilerOptions("tsconfig.json");
const { tsnodeRequire, typescriptRequire } = tsutils.typeScriptRequireStrings();
require(tsnodeRequire).register({
  compiler: typescriptRequire,
  transpileOnly: compilerOptions.noCheck,
  project: "tsconfig.json",
  skipProject: false,
  compilerOptions: {
    target: "ES2020",
    module: "nodenext",
    moduleResolution: "nodenext",
    sourceMap: "true",
    ...compilerOptions,
  },
});
const pulumi = require("@pulumi/pulumi");
const { installMocks, settle } = require("./test/infra/mocks.ts");
const { stack, config, secretKeys } = JSON.parse(process.env.PROGRAM_UNDER_TEST);
(async () => {
  const recorder = await installMocks({ stack, config, secretKeys });
  const main = require(path.resolve(require("./package.json").main));
  const outputs = await new Promise((resolve) => pulumi.output(main).apply(resolve));
  await settle(recorder);
  process.stdout.write(JSON.stringify({ resources: recorder.resources.length, outputs }));
})().catch((error) => {
  process.stderr.write(String(error && error.stack || error));
  process.exit(1);
});
`;

describe.each(["dev", "prod"] as const)("index.ts loaded like Pulumi's runtime, %s stack", (stack) => {
  it("type-checks, starts and exports its outputs", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ["-e", LOADER], {
      cwd: ROOT,
      env: { ...process.env, PROGRAM_UNDER_TEST: JSON.stringify({ stack, ...stackValues(stack) }) },
      maxBuffer: 16 * 1024 * 1024,
    });
    const result = JSON.parse(stdout) as { resources: number; outputs: Record<string, unknown> };
    expect(result.resources).toBeGreaterThan(100);
    expect(result.outputs).toMatchObject({
      appUrl: expect.stringMatching(/^https:\/\/api\./) as unknown,
      grafanaUrl: expect.stringMatching(/^https:\/\/grafana\./) as unknown,
      prometheusUrl: `http://prometheus.${stack}.showcase.internal:9090`,
      alertmanagerUrl: `http://alertmanager.${stack}.showcase.internal:9093`,
    });
    expect(Object.keys(result.outputs["dashboardUrls"] as object).length).toBeGreaterThan(0);
  }, 180_000);
});
