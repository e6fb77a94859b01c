// One measurement of the Pulumi program under the test mocks, in a process of its own (a program
// runs once per process): the stack named by argv[2] (`dev`, `prod`, or `apps:N` for
// apps-program.ts). Prints JSON: milliseconds to run it and settle, and what it registered.
import type { ProgramFigures } from "./program";
import { installMocks, settle } from "../../test/infra/mocks";
import { stackValues } from "../../test/infra/stack-files";

/** Rule files as delivered to Prometheus (S3 objects), and the rules in them. */
function ruleFigures(resources: { type: string; inputs: Record<string, unknown> }[]) {
  const files = resources
    .filter((r) => r.type === "aws:s3/bucketObjectv2:BucketObjectv2")
    .filter((r) => String(r.inputs["key"]).endsWith(".rules.yml"))
    .map((r) => String(r.inputs["content"]));
  const rules = files.reduce((n, file) => n + (file.match(/^\s*- (alert|record):/gm)?.length ?? 0), 0);
  return { ruleFiles: files.length, rules };
}

async function main(): Promise<void> {
  const which = process.argv[2] ?? "";
  const apps = /^apps:(\d+)$/.exec(which);
  if (apps === null && which !== "dev" && which !== "prod") throw new Error(`no such program: ${which}`);
  // The SDKs and components load before the clock starts: the figure is the program's own work.
  const { appsProgram } = await import("./apps-program");
  const values = apps === null ? stackValues(which as "dev" | "prod") : { config: {}, secretKeys: [] };
  const recorder = await installMocks({ stack: apps === null ? which : "bench", ...values });
  const start = performance.now();
  if (apps === null) await import("../../index");
  else appsProgram(Number(apps[1]));
  await settle(recorder);
  const figures: ProgramFigures = {
    ms: performance.now() - start,
    resources: recorder.resources.length,
    dashboards: recorder.ofType("grafana:oss/dashboard:Dashboard").length,
    ...ruleFigures(recorder.resources),
  };
  process.stdout.write(JSON.stringify(figures));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
