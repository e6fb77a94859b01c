// Facts of the image's recipe. The image itself is built and run by test/image (buildah, podman).
import { readFileSync } from "node:fs";
import { SERVICE_METRICS_PORT, SERVICE_PORT } from "showcase-monitoring-conventions";
import { describe, expect, it } from "vitest";

const dockerfile = readFileSync(new URL("../Dockerfile", import.meta.url), "utf8");
const dockerignore = readFileSync(new URL("../Dockerfile.dockerignore", import.meta.url), "utf8");

/** Instructions with continuation lines joined and comments dropped. */
const instructions = dockerfile
  .replace(/\\\n/g, " ")
  .split("\n")
  .map((line) => line.trim())
  .filter((line) => line !== "" && !line.startsWith("#"));

interface Stage {
  from: string;
  name: string;
  lines: string[];
}

const stages: Stage[] = [];
for (const line of instructions) {
  const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?$/i.exec(line);
  if (from) stages.push({ from: from[1]!, name: from[2] ?? "", lines: [] });
  else stages.at(-1)?.lines.push(line);
}
const runtime = stages.at(-1)!;

describe("service/Dockerfile", () => {
  it("pins a supported Node.js LTS in the ARG line tools/test.sh reads", () => {
    const version = /^ARG NODE_VERSION=(\d+)\.(\d+)\.(\d+)$/m.exec(dockerfile);
    expect(version, "ARG NODE_VERSION=X.Y.Z").not.toBeNull();
    const major = Number(version![1]);
    expect(major % 2, "LTS majors are even").toBe(0);
    expect(major).toBeGreaterThanOrEqual(22);
  });

  it("builds in stages, every one from the pinned slim image", () => {
    expect(stages.map((s) => s.name)).toEqual(["build", "runtime"]);
    for (const stage of stages) expect(stage.from).toBe("node:${NODE_VERSION}-bookworm-slim");
    expect(dockerfile).not.toMatch(/:latest\b/);
  });

  it("ships production dependencies and compiled code only", () => {
    const copies = runtime.lines.filter((l) => l.startsWith("COPY"));
    expect(copies.every((l) => l.startsWith("COPY --from=build "))).toBe(true);
    expect(copies.join("\n")).not.toMatch(/\bsrc\b|tsconfig/);
    expect(runtime.lines.some((l) => /^RUN\b/.test(l))).toBe(false);
    const build = stages[0]!.lines.join("\n");
    expect(build).toMatch(/npm ls --workspace service --omit=dev --all --parseable/);
    expect(build).toMatch(/npm ci --workspace service\b/);
    expect(runtime.lines).toContain("ENV NODE_ENV=production");
  });

  it("runs as the unprivileged node user, node as PID 1 in exec form", () => {
    const user = runtime.lines.findIndex((l) => l === "USER node");
    const cmd = runtime.lines.findIndex((l) => l.startsWith("CMD"));
    expect(user).toBeGreaterThan(-1);
    expect(cmd).toBeGreaterThan(user);
    const args = JSON.parse(runtime.lines[cmd]!.slice(3).trim()) as string[];
    expect(args).toEqual(["node", "--enable-source-maps", "dist/main.js"]);
    expect(runtime.lines.some((l) => l.startsWith("ENTRYPOINT"))).toBe(false);
  });

  it("needs no frontend image and no SHELL: RUN lines hold no pipelines", () => {
    // BuildKit would fetch the `# syntax=` frontend from Docker Hub, unpinned.
    expect(dockerfile).not.toMatch(/^#\s*syntax=/im);
    // buildah and podman drop SHELL in their default OCI format: RUN lines run with /bin/sh, where a
    // failing command inside a pipeline goes unnoticed (no pipefail).
    expect(instructions.filter((l) => /^SHELL\b/i.test(l))).toEqual([]);
    const runs = instructions.filter((l) => /^RUN\b/i.test(l));
    expect(runs.length).toBeGreaterThan(0);
    for (const line of runs) expect(line.replace(/\|\|/g, ""), line).not.toContain("|");
  });

  it("exposes the public and the metrics port (the service's defaults)", () => {
    expect(runtime.lines).toContain(`EXPOSE ${SERVICE_PORT} ${SERVICE_METRICS_PORT}`);
  });

  it("sends the builder only what it copies", () => {
    const rules = dockerignore.split("\n").filter((l) => l.trim() !== "" && !l.startsWith("#"));
    expect(rules[0]).toBe("**");
    const allowed = rules.filter((r) => r.startsWith("!")).map((r) => r.slice(1).replace(/\/\*\*$/, ""));
    const sources = stages[0]!.lines
      .filter((l) => l.startsWith("COPY ") && !l.startsWith("COPY --from"))
      .flatMap((l) => l.split(/\s+/).slice(1, -1));
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) expect(allowed, source).toContain(source);
  });
});
