// The README's `npm run bench`, run as written but as the short trial docs/benchmarks.md describes
// (one round, one minute of Prometheus): every part runs to its end and prints its tables. The
// figures are not checked (benchmarks assert nothing; a loaded CI machine would move them).
import { spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { REPO_ROOT } from "../../tools/local-stack";

const README = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
const BENCHMARKS = readFileSync(join(REPO_ROOT, "docs/benchmarks.md"), "utf8");
const TRIAL = { BENCH_ROUNDS: "1", BENCH_PROMETHEUS_MINUTES: "1" };

/** What each part prints when it got to its end. */
const PARTS = [
  "GET /health (trivial): CPU at a fixed",
  "GET /api/projects (20 rows from PostgreSQL): CPU at a fixed",
  "targets (ours): extra CPU at the fixed rate",
  "/metrics at growing series counts",
  "target: event-loop delay of a scrape at 20000 series",
  "The Pulumi program under mocks",
  "from 5 to 20 apps, each app adds",
  "Per series the instances added, over the baseline",
  "What fits in the stack files' Prometheus tasks",
];

it(
  "README: npm run bench runs every part to its end (as the short trial)",
  { timeout: 1_200_000 },
  async () => {
    expect(README).toContain("`npm run bench` measures");
    for (const [name, value] of Object.entries(TRIAL)) expect(BENCHMARKS).toContain(`\`${name}=${value}\``);
    const child = spawn("npm", ["run", "bench"], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...TRIAL },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const [code] = (await once(child, "exit")) as [number | null];
    expect(code, output.slice(-3000)).toBe(0);
    for (const part of PARTS) expect(output, `missing "${part}"`).toContain(part);
  },
);
