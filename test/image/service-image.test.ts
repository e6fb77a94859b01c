// The service's image for real: built from service/Dockerfile by the README's command
// (`npx tsx tools/image.ts`: buildah, the local stand-in for node:<version>-bookworm-slim, npm
// offline), run with podman against a real PostgreSQL, and its filesystem inspected.
import { execFile } from "node:child_process";
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../tools/ports";
import { startPostgres, type PostgresServer } from "../../tools/postgres";
import { waitFor } from "../../tools/processes";
import { imageNodeVersion, SERVICE_IMAGE } from "../../tools/service-image";
import { runContainer, withImageMounted, type Container } from "./podman";

const run = promisify(execFile);
const REPO_ROOT = resolve(__dirname, "../..");

let postgres: PostgresServer;
let pgDir: string;
let databaseUrl: string;
const containers: Container[] = [];

beforeAll(async () => {
  // Fails, with the script's output (which says what to install), where containers cannot run.
  await run("npx", ["tsx", "tools/image.ts"], { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024 }).catch(
    (error: { stdout?: string; stderr?: string; message: string }) => {
      const output = `${error.stdout ?? ""}${error.stderr ?? ""}`.slice(-6_000);
      throw new Error(`building the image failed:\n${output || error.message}`);
    },
  );
  pgDir = mkdtempSync(join(tmpdir(), "image-tests-pg-"));
  postgres = await startPostgres({ dataDir: pgDir });
  databaseUrl = await postgres.createDatabase("image");
});

afterAll(async () => {
  await Promise.all(containers.splice(0).map((c) => c.remove()));
  await postgres?.stop();
  if (pgDir) rmSync(pgDir, { recursive: true, force: true });
});

interface Started {
  container: Container;
  api: string;
  metrics: string;
}

async function start(env: Record<string, string> = {}): Promise<Started> {
  const port = await freePort();
  const metricsPort = await freePort();
  const container = await runContainer(SERVICE_IMAGE, {
    DATABASE_URL: databaseUrl,
    HOST: "127.0.0.1",
    PORT: String(port),
    METRICS_PORT: String(metricsPort),
    ...env,
  });
  containers.push(container);
  const api = `http://127.0.0.1:${port}`;
  try {
    await waitFor(
      "the container's /health",
      async () => ((await fetch(`${api}/health`)).ok ? true : undefined),
      60_000,
      200,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}\ncontainer output:\n${await container.logs()}`);
  }
  return { container, api, metrics: `http://127.0.0.1:${metricsPort}` };
}

/** JSON log lines of the container (pino), other lines dropped. */
function logLines(output: string): Record<string, unknown>[] {
  return output
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe("the running image, against PostgreSQL", () => {
  let service: Started;
  beforeAll(async () => {
    service = await start();
    await waitFor(
      "/ready",
      async () => ((await fetch(`${service.api}/ready`)).ok ? true : undefined),
      60_000,
      200,
    );
  });

  it("answers /health and /ready on the public port and /metrics only on the metrics port", async () => {
    const health = await fetch(`${service.api}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
    expect((await fetch(`${service.api}/ready`)).status).toBe(200);
    expect((await fetch(`${service.api}/metrics`)).status).toBe(404);

    const metrics = await fetch(`${service.metrics}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get("content-type")).toMatch(/^text\/plain/);
    const body = await metrics.text();
    expect(body).toMatch(/^http_requests_total\{method="GET",route="\/health",status_code="200"\} \d+$/m);
    // The image runs the Node.js version the Dockerfile pins.
    expect(body).toContain(`nodejs_version_info{version="v${imageNodeVersion()}"`);
    expect((await fetch(`${service.metrics}/health`)).status).toBe(404);
  });

  it("runs node as PID 1 (exec form, source maps on) as the unprivileged node user", async () => {
    const cmdline = await service.container.exec("cat", "/proc/1/cmdline");
    expect(cmdline.split("\0").filter((a) => a !== "")).toEqual([
      "node",
      "--enable-source-maps",
      "dist/main.js",
    ]);
    const status = await service.container.exec("cat", "/proc/1/status");
    expect(status).toMatch(/^Uid:\t1000\t1000\t1000\t1000$/m);
    expect(status).toMatch(/^Gid:\t1000\t1000\t1000\t1000$/m);
    expect((await service.container.exec("id", "-un")).trim()).toBe("node");
  });

  it("exits 0 on SIGTERM after draining, not killed by podman's SIGKILL", async () => {
    const { container } = await start();
    // ECS's default stopTimeout: a process that ignored SIGTERM would be killed (exit 137).
    expect(await container.stop(30)).toBe(0);
    const lines = logLines(await container.logs());
    expect(lines).toContainEqual(expect.objectContaining({ msg: "signal received", signal: "SIGTERM" }));
    expect(lines).toContainEqual(expect.objectContaining({ msg: "shut down", drained: true }));
  });
});

describe("the image with its database down", () => {
  it("serves degraded, never logs the password, and its stack traces name the TypeScript sources", async () => {
    const closedPort = await freePort();
    const { container, api } = await start({
      DATABASE_URL: `postgres://app:hunter2-in-image@127.0.0.1:${closedPort}/app`,
    });
    expect((await fetch(`${api}/ready`)).status).toBe(503);
    const failure = await waitFor(
      "a logged migration failure",
      async () => logLines(await container.logs()).find((l) => String(l.msg).startsWith("migrations failed")),
      30_000,
    );
    const stack = (failure.err as { stack: string }).stack;
    // Source maps resolve the shipped JavaScript to the lines of service/src.
    expect(stack).toMatch(/\(\/app\/service\/src\/db\/database\.ts:\d+:\d+\)/);
    expect(stack).not.toContain("/app/service/dist/");
    expect(await container.logs()).not.toContain("hunter2-in-image");
  });
});

/** Package folders under `dir`'s node_modules, nested ones too, relative to `root`. */
function installedPackages(root: string, dir: string): string[] {
  const modules = join(dir, "node_modules");
  if (!existsSync(modules)) return [];
  const entries = readdirSync(modules).filter((name) => !name.startsWith("."));
  const packages = entries.flatMap((name) =>
    name.startsWith("@")
      ? readdirSync(join(modules, name)).map((sub) => join(modules, name, sub))
      : [join(modules, name)],
  );
  return packages.flatMap((path) => [
    relative(root, path),
    ...(lstatSync(path).isSymbolicLink() ? [] : installedPackages(root, path)),
  ]);
}

/** Package folders in the image's /app, relative to it (`node_modules/x`, `service/node_modules/y`). */
function shippedPackages(): Promise<string[]> {
  return withImageMounted(SERVICE_IMAGE, (root) => {
    const app = join(root, "app");
    return [...installedPackages(app, app), ...installedPackages(app, join(app, "service"))];
  });
}

function packageJson(path: string): {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
} {
  return JSON.parse(readFileSync(path, "utf8")) as ReturnType<typeof packageJson>;
}

describe("the image's files", () => {
  const serviceManifest = packageJson(join(REPO_ROOT, "service/package.json"));
  const rootManifest = packageJson(join(REPO_ROOT, "package.json"));

  it("holds exactly the service's production dependency tree, as npm resolves it from the lockfile", async () => {
    const { stdout } = await run(
      "npm",
      ["ls", "--workspace", "service", "--omit=dev", "--all", "--parseable"],
      {
        cwd: REPO_ROOT,
      },
    );
    const expected = stdout
      .split("\n")
      .map((line) => relative(REPO_ROOT, line))
      .filter((path) => path.includes("node_modules/"));
    const shipped = await shippedPackages();
    expect(expected.length).toBeGreaterThan(0);
    expect([...shipped].sort()).toEqual([...new Set(expected)].sort());
    for (const name of Object.keys(serviceManifest.dependencies ?? {}))
      expect(
        shipped.some((p) => p === `node_modules/${name}` || p === `service/node_modules/${name}`),
        name,
      ).toBe(true);
  });

  it("ships no devDependencies, nothing of the Pulumi program, no TypeScript, vitest or @pulumi packages", async () => {
    const names = (await shippedPackages()).map((path) =>
      path.slice(path.lastIndexOf("node_modules/") + "node_modules/".length),
    );
    const production = new Set(names);
    for (const name of ["typescript", "vitest", "tsx", "eslint", "@types/node"])
      expect(production.has(name), name).toBe(false);
    expect(names.filter((n) => n.startsWith("@pulumi/") || n.startsWith("@pulumiverse/"))).toEqual([]);
    const notShipped = [
      ...Object.keys(serviceManifest.devDependencies ?? {}),
      ...Object.keys(rootManifest.devDependencies ?? {}),
      ...Object.keys(rootManifest.dependencies ?? {}),
    ];
    const wanted = serviceManifest.dependencies ?? {};
    expect(notShipped.filter((name) => production.has(name) && !(name in wanted))).toEqual([]);
  });

  it("ships the compiled service and its source maps only: no sources, tests, benchmarks or configs", async () => {
    const sources = (dir: string) =>
      readdirSync(join(REPO_ROOT, dir), { recursive: true, encoding: "utf8" })
        .filter((f) => f.endsWith(".ts"))
        .map((f) => f.slice(0, -".ts".length));
    const files = (root: string, dir: string) =>
      readdirSync(join(root, dir), { recursive: true, encoding: "utf8" }).filter(
        (f) => !lstatSync(join(root, dir, f)).isDirectory(),
      );
    const { app, service, dist, conventions } = await withImageMounted(SERVICE_IMAGE, (root) => ({
      app: readdirSync(join(root, "app")).sort(),
      service: readdirSync(join(root, "app/service")).sort(),
      dist: files(root, "app/service/dist"),
      conventions: files(root, "app/conventions"),
    }));
    expect(app).toEqual(["conventions", "node_modules", "service"]);
    // service/node_modules holds the versions that differ from the hoisted ones, when there are any.
    expect(service.filter((entry) => entry !== "node_modules")).toEqual(["dist", "package.json"]);
    expect(dist.sort()).toEqual(
      sources("service/src")
        .flatMap((s) => [`${s}.js`, `${s}.js.map`])
        .sort(),
    );
    // The workspace package the service imports (node_modules/showcase-monitoring-conventions
    // links to it): its manifest and JavaScript.
    expect(conventions.sort()).toEqual(
      ["package.json", ...sources("conventions/src").map((s) => `dist/${s}.js`)].sort(),
    );
  });
});
