// Loads index.ts the way Pulumi's Node.js language host does (see pulumi-runtime.ts), under mocks,
// in a fresh process, for each stack file.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runLikePulumi } from "./pulumi-runtime";
import { stackValues } from "./stack-files";

const ROOT = join(import.meta.dirname, "..", "..");

describe.each(["dev", "prod"] as const)("index.ts loaded like Pulumi's runtime, %s stack", (stack) => {
  it("type-checks, starts and exports its outputs", async () => {
    const result = await runLikePulumi({
      cwd: ROOT,
      stack,
      ...stackValues(stack),
      mocks: "test/infra/mocks.ts",
    });
    expect(result.resources.length).toBeGreaterThan(100);
    expect(result.outputs).toMatchObject({
      appUrl: expect.stringMatching(/^https:\/\/api\./) as unknown,
      grafanaUrl: expect.stringMatching(/^https:\/\/grafana\./) as unknown,
      prometheusUrl: `https://prometheus.${stack}.showcase.internal:9090`,
      alertmanagerUrl: `https://alertmanager.${stack}.showcase.internal:9093`,
    });
    expect(Object.keys(result.outputs["dashboardUrls"] as object).length).toBeGreaterThan(0);
  }, 180_000);
});
