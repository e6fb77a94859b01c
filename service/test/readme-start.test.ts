// The README's `npm start -w service`, run as written from the repository root: it builds the
// service, serves the API and the metrics on their ports against the database, and stops with exit
// 0 when SIGTERM reaches npm (npm passes it on to the service, which must not outlive npm).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { freePort } from "../../tools/ports";
import { freshDatabase } from "./support/database";
import { startServiceProcess, type ServiceProcess } from "./support/process";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const COMMAND = "npm start -w service";

let service: ServiceProcess | undefined;
let databaseUrl: string;

beforeAll(async () => {
  databaseUrl = await freshDatabase("readme_start");
});
afterAll(() => service?.kill());

it(`${COMMAND} (the README's) serves and stops cleanly`, { timeout: 120_000 }, async () => {
  expect(readFileSync(`${ROOT}/README.md`, "utf8")).toContain(`\`${COMMAND}\``);
  const [port, metricsPort] = [await freePort(), await freePort()];
  const [file, ...args] = COMMAND.split(" ") as [string, ...string[]];
  service = startServiceProcess(
    { DATABASE_URL: databaseUrl, HOST: "127.0.0.1", PORT: String(port), METRICS_PORT: String(metricsPort) },
    { file, args, cwd: ROOT },
  );
  await service.waitFor(`http://127.0.0.1:${port}/ready`, 90_000);
  const list = await fetch(`http://127.0.0.1:${port}/api/projects`);
  expect(list.status).toBe(200);
  const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  expect(metrics).toMatch(/^http_requests_total\{.*route="\/api\/projects".*\} 1$/m);

  service.child.kill("SIGTERM");
  // npm exits with the service's own code once the service has drained and stopped (the start
  // script execs node, so the signal reaches it rather than the shell npm runs scripts in).
  expect(await service.exit()).toEqual({ code: 0, signal: null });
});
