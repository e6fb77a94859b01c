// The README's Delivery section: its rendered examples are what `npm run delivery-examples` (run
// here, on a copy) renders now, and the commands it gives, which need AWS, GitHub and the Pulumi CLI,
// name only things that exist: stacks, files, bootstrap outputs and settings, and exactly the
// variables and secrets the workflows read.
import { execFile } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { parseBootstrapConfig } from "../../bootstrap/src/config";
import { README, readmeBlock } from "../../tools/delivery-examples";
import { collectBootstrap } from "./bootstrap-stack";
import { ROOT, workflows } from "./workflows";

const readme = readFileSync(README, "utf8");
const delivery = readme.slice(readme.indexOf("## Delivery"), readme.indexOf("## Importing the components"));
const shellLines = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)]
  .flatMap((m) => (m[1] ?? "").split("\n"))
  .map((line) => line.replace(/#.*$/, "").trim())
  .filter((line) => line !== "");
const deliveryLines = [...delivery.matchAll(/```sh\n([\s\S]*?)```/g)]
  .flatMap((m) => (m[1] ?? "").split("\n"))
  .map((line) => line.replace(/\s+#.*$/, "").trim())
  .filter((line) => line !== "");

const tmp = mkdtempSync(join(tmpdir(), "readme-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("README: what a pull request shows", () => {
  it("is what npm run delivery-examples renders from the program and the policy pack now", async () => {
    const copy = join(tmp, "README.md");
    copyFileSync(README, copy);
    const { stdout } = await promisify(execFile)(
      "npm",
      ["run", "--silent", "delivery-examples", "--", "--readme", copy],
      {
        cwd: ROOT,
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    expect(stdout).toContain(`wrote the block to ${copy}`);
    const fresh = readmeBlock(readFileSync(copy, "utf8"));
    expect(fresh).toContain("✅ showcase-monitoring@v0.1.0 (local: policy)");
    expect(fresh).toContain("❌ showcase-monitoring@v0.1.0 (local: policy)");
    expect(readmeBlock(), "README.md's delivery examples are stale: run `npm run delivery-examples`").toBe(
      fresh,
    );
  }, 300_000);
});

describe("README: the delivery commands", () => {
  let outputs: string[];
  beforeAll(async () => {
    vi.resetModules();
    outputs = Object.keys((await collectBootstrap()).outputs);
  });

  it("set exactly the variables and secrets the workflows read", () => {
    const text = workflows()
      .map((w) => w.text)
      .join("\n");
    const used = (kind: string) =>
      new Set(
        [...text.matchAll(new RegExp(`\\$\\{\\{\\s*${kind}\\.(\\w+)`, "g"))]
          .map((m) => m[1])
          .filter((n) => n !== "GITHUB_TOKEN"),
      );
    const set = (kind: string) =>
      new Set(
        deliveryLines.flatMap((l) =>
          [...l.matchAll(new RegExp(`gh ${kind} set (\\w+)`, "g"))].map((m) => m[1]),
        ),
      );
    expect(set("variable")).toEqual(used("vars"));
    expect(set("secret")).toEqual(used("secrets"));
  });

  it("read only outputs the bootstrap program exports", () => {
    const read = new Set(
      deliveryLines.flatMap((l) => [...l.matchAll(/stack output (\w+)/g)].map((m) => m[1])),
    );
    expect(read.size).toBeGreaterThan(3);
    for (const name of read) expect(outputs, name).toContain(name);
  });

  it("set only settings the bootstrap program reads, and init stacks that have a stack file", () => {
    const keys: string[] = [];
    parseBootstrapConfig((key) => {
      keys.push(key);
      return key === "repository" ? "example-org/showcase-monitoring" : undefined;
    });
    for (const line of deliveryLines.filter((l) => l.startsWith("pulumi config set bootstrap:"))) {
      expect(keys).toContain(/bootstrap:(\w+)/.exec(line)?.[1]);
    }
    const inits = deliveryLines
      .map((l) => /pulumi stack init (\w+)/.exec(l)?.[1])
      .filter((s) => s !== undefined);
    expect(inits).toEqual(["bootstrap", "dev", "prod"]);
    expect(existsSync(join(ROOT, "bootstrap", "Pulumi.bootstrap.yaml"))).toBe(true);
    for (const stack of ["dev", "prod"]) expect(existsSync(join(ROOT, `Pulumi.${stack}.yaml`))).toBe(true);
    expect(deliveryLines).toContain("cd bootstrap");
  });

  it("apply the policy pack and config that exist, wherever the README runs pulumi preview or up", () => {
    const runs = [...readme.matchAll(/pulumi (?:preview|up)[^\n`]*/g)].map((m) => m[0]);
    expect(runs.length).toBeGreaterThanOrEqual(3);
    for (const run of runs.filter((r) => r.includes("--policy-pack"))) {
      const pack = /--policy-pack (\S+)/.exec(run)?.[1] ?? "";
      const config = /--policy-pack-config (\S+)/.exec(run)?.[1] ?? "";
      expect(existsSync(join(ROOT, pack, "PulumiPolicy.yaml")), run).toBe(true);
      expect(existsSync(join(ROOT, config)), run).toBe(true);
    }
    expect(
      shellLines.filter((l) => /^pulumi (preview|up)\b/.test(l) && !l.includes("--policy-pack policy")),
    ).toEqual(["pulumi up"]);
  });
});
