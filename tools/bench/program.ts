// The Pulumi program under the test mocks (test/infra): time to run it and what it creates, for
// the dev and prod stacks and for 1, 5 and 20 AppServices sharing one Prometheus, so that the
// growth of resources, rules and time with the apps shows. Each run in a fresh process; prints a
// table, asserts nothing.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { fmt, printTable } from "../../service/bench/stats";

export interface ProgramFigures {
  ms: number;
  resources: number;
  ruleFiles: number;
  rules: number;
  dashboards: number;
}

const PROGRAMS = ["dev", "prod", "apps:1", "apps:5", "apps:20"];
const TITLES: Record<string, string> = { dev: "dev stack", prod: "prod stack" };

async function measure(program: string): Promise<ProgramFigures> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["--import", "tsx", join(__dirname, "program-child.ts"), program],
    { maxBuffer: 64 << 20 },
  );
  return JSON.parse(stdout) as ProgramFigures;
}

async function main(): Promise<void> {
  console.log("\nThe Pulumi program under mocks (one fresh process each; SDK loading not counted):");
  const rows: string[][] = [];
  const byApps = new Map<number, ProgramFigures>();
  for (const program of PROGRAMS) {
    const f = await measure(program);
    const apps = program.split(":")[1];
    if (apps !== undefined) byApps.set(Number(apps), f);
    const perApp = apps === undefined ? "-" : fmt(f.ms / Number(apps), 0);
    rows.push([
      TITLES[program] ?? `${apps} app(s), one Prometheus`,
      fmt(f.ms, 0),
      perApp,
      String(f.resources),
      String(f.ruleFiles),
      String(f.rules),
      String(f.dashboards),
    ]);
  }
  printTable(["program", "ms", "ms per app", "resources", "rule files", "rules", "dashboards"], rows);
  // Linear growth shows as the same increments per app between every two sizes.
  const sizes = [...byApps.keys()];
  for (let i = 1; i < sizes.length; i++) {
    const [from, to] = [sizes[i - 1]!, sizes[i]!];
    const [a, b] = [byApps.get(from)!, byApps.get(to)!];
    const per = (get: (f: ProgramFigures) => number) => fmt((get(b) - get(a)) / (to - from), 1);
    console.log(
      `from ${from} to ${to} apps, each app adds ${per((f) => f.resources)} resources, ` +
        `${per((f) => f.ruleFiles)} rule files, ${per((f) => f.rules)} rules, ${per((f) => f.ms)} ms`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
