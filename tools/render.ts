// `npm run render -- --out DIR [--stack dev|prod|local]`: writes every generated artifact of a
// profile to files, for reading, for `promtool`/`amtool`, or for importing a dashboard by hand.
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import {
  buildDashboards,
  renderAlertmanagerConfig,
  renderPrometheusConfig,
  renderRuleFiles,
} from "showcase-monitoring/monitoring";
import { monitoringProfile, STACK_NAMES, type StackName } from "./profiles";

const USAGE = `usage: npm run render -- --out DIR [--stack ${STACK_NAMES.join("|")}]`;

/** Writes the profile's files below `outDir`; returns their paths relative to it. */
export function renderAll(stack: StackName, outDir: string): string[] {
  const profile = monitoringProfile(stack);
  const files: Record<string, string> = {
    "prometheus.yml": renderPrometheusConfig(profile.prometheus),
    "alertmanager.yml": renderAlertmanagerConfig(profile.alertmanager),
  };
  for (const [name, text] of Object.entries(renderRuleFiles(profile.rules))) files[`rules/${name}`] = text;
  for (const dashboard of buildDashboards(profile.dashboards)) {
    files[`dashboards/${dashboard.uid}.json`] = `${JSON.stringify(dashboard, null, 2)}\n`;
  }
  for (const [name, text] of Object.entries(files)) {
    const path = join(outDir, name);
    mkdirSync(join(path, ".."), { recursive: true });
    writeFileSync(path, text);
  }
  return Object.keys(files);
}

function parseCommandLine(argv: string[]): { out: string; stack: StackName } {
  const { values } = parseArgs({
    args: argv,
    options: { out: { type: "string" }, stack: { type: "string", default: "dev" } },
    strict: true,
    allowPositionals: false,
  });
  if (!values.out) throw new Error("--out DIR is required");
  const stack = values.stack as StackName;
  if (!STACK_NAMES.includes(stack)) {
    throw new Error(`--stack must be one of ${STACK_NAMES.join(", ")} (got ${JSON.stringify(values.stack)})`);
  }
  return { out: resolve(values.out), stack };
}

function main(): void {
  let args: { out: string; stack: StackName };
  try {
    args = parseCommandLine(process.argv.slice(2));
  } catch (error) {
    console.error(`render: ${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  const written = renderAll(args.stack, args.out);
  console.log(
    [
      `render: wrote ${written.length} files for stack "${args.stack}" to ${args.out}`,
      ...written.map((f) => `  ${f}`),
    ].join("\n"),
  );
}

if (require.main === module) main();
