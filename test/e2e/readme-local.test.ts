// The README's first command, `npm run local`, run as written (with `--dir` so that the data goes to
// a temporary folder instead of the checkout's .local/): it becomes healthy, prints the URLs of the
// README's table, the README's curl commands (with the CA and credentials) fetch each of them, and
// Ctrl-C (SIGINT) stops everything with exit 0.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { chmodSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { REPO_ROOT } from "../../tools/local-stack";
import { stopOrphanedPostgres } from "../../tools/postgres";
import { waitFor } from "../../tools/processes";

const README = readFileSync(join(REPO_ROOT, "README.md"), "utf8");
/** The README's table of what `npm run local` serves: [what, URL]. */
const TABLE = [...README.matchAll(/^\| ([^|]+?) \| (https?:\/\/127\.0\.0\.1:\d+\S*) \|$/gm)].map(
  (m) => [m[1]!, m[2]!] as const,
);
/** The README's curl commands against the local stack, one per line. */
const CURLS = [...README.matchAll(/^curl .*$/gm)].map((m) => m[0]);
const READY_LINE = "[local] Ctrl-C stops everything";

/** A README command run by bash, the data folder in .local/'s place. */
function curl(line: string) {
  const command = line.replaceAll(".local/", `${dir}/`);
  const result = spawnSync("bash", ["-c", command], { cwd: REPO_ROOT, encoding: "utf8", timeout: 20_000 });
  return { status: result.status, output: `$ ${command}\n${result.stdout.slice(0, 300)}${result.stderr}` };
}

let child: ChildProcess | undefined;
const dir = mkdtempSync(join(tmpdir(), "showcase-readme-local-"));
chmodSync(dir, 0o755); // PostgreSQL runs as its own user and must reach its data folder
afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, "SIGKILL");
  await stopOrphanedPostgres(join(dir, "postgres"));
  rmSync(dir, { recursive: true, force: true });
});

it(
  "npm run local (the README's) serves what the README lists and stops on Ctrl-C",
  { timeout: 300_000 },
  async () => {
    expect(README).toContain("npm ci && npm run local");
    expect(TABLE.map(([what]) => what.split(" ")[0])).toEqual([
      "API",
      "metrics",
      "Prometheus",
      "Alertmanager",
    ]);

    // Its own process group, so that nothing it started can outlive the test.
    child = spawn("npm", ["run", "local", "--", "--dir", dir], { cwd: REPO_ROOT, detached: true });
    let output = "";
    child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = once(child, "exit");
    const state = await waitFor(
      "npm run local to be ready",
      () => {
        if (output.includes(READY_LINE)) return Promise.resolve("ready");
        return Promise.resolve(child?.exitCode !== null || child?.signalCode !== null ? "exited" : undefined);
      },
      240_000,
      200,
    );
    expect(state, output).toBe("ready");

    // One curl command per URL of the table, in its order.
    expect(CURLS.map((line) => line.split(" ").at(-1))).toEqual(TABLE.map(([, url]) => url));
    for (const [what, url] of TABLE) {
      expect(output, `${what}: the README's ${url} is printed by npm run local`).toContain(
        new URL(url).origin,
      );
    }
    for (const line of CURLS) {
      const result = curl(line);
      expect(result.status, result.output).toBe(0);
      // Without the credential (or, for the API, without the CA) it is refused.
      const bare = curl(line.replace(/ (-H "[^"]*"|-u "[^"]*"|--cacert \S+)(?= https)/, ""));
      expect(bare.status, bare.output).not.toBe(0);
    }

    process.kill(-child.pid!, "SIGINT");
    // As a terminal's Ctrl-C: the whole group gets SIGINT; npm, once its script has exited, ends
    // itself by the same signal, as npm does.
    const [code, signal] = (await exited) as [number | null, NodeJS.Signals | null];
    expect({ code, signal }, output).toEqual({ code: null, signal: "SIGINT" });
    expect(output).toContain(`[local] stopped; data kept in ${dir}`);
    for (const line of CURLS) {
      const result = curl(line);
      // curl: 7, could not connect.
      expect(result.status, `still answers after Ctrl-C: ${result.output}`).toBe(7);
    }
  },
);
