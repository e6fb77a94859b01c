// The policy pack on our own programs: the dev and prod resource sets, and the bootstrap stack's,
// pass every policy.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  POLICY_DIR,
  type PolicyInfo,
  PolicyPackProcess,
  readConfigFile,
  reconcileConfig,
} from "./policy-engine";
import { collectBootstrap } from "../delivery/bootstrap-stack";
import { collectResourceSet } from "./resource-set";

let pack: PolicyPackProcess;
let info: { name: string; version: string; policies: PolicyInfo[] };

beforeAll(async () => {
  pack = await PolicyPackProcess.start();
  info = await pack.info();
  await pack.configure(reconcileConfig(info.policies, readConfigFile()));
});
afterAll(async () => {
  await pack.stop();
});

describe("the pack", () => {
  it("serves under its name and package version the policies the README lists, each with a severity", () => {
    const version = (
      JSON.parse(readFileSync(join(POLICY_DIR, "package.json"), "utf8")) as { version: string }
    ).version;
    expect([info.name, info.version]).toEqual(["showcase-monitoring", version]);
    const readme = readFileSync(join(POLICY_DIR, "..", "README.md"), "utf8");
    const table = readme.slice(
      readme.indexOf("### The policy pack"),
      readme.indexOf("### State and secrets"),
    );
    const listed = [...table.matchAll(/^\| (`[^|]+)\|/gm)].flatMap((m) =>
      [...(m[1] ?? "").matchAll(/`([a-z0-9-]+)`/g)].map((n) => n[1]),
    );
    expect(listed.sort()).toEqual(info.policies.map((p) => p.name).sort());
    for (const policy of info.policies) {
      expect(policy.enforcementLevel, policy.name).toBe("mandatory");
      expect(policy.severity, policy.name).not.toBe("");
    }
  });
});

describe.each(["dev", "prod"] as const)("the %s stack", (stack) => {
  it("violates no policy", async () => {
    vi.resetModules();
    const set = await collectResourceSet(stack);
    expect(set.resources.length).toBeGreaterThan(100);
    expect(await pack.analyze(set)).toEqual([]);
  });
});

describe("the bootstrap stack", () => {
  it("violates no policy", async () => {
    vi.resetModules();
    const set = await collectBootstrap();
    expect(set.resources.length).toBeGreaterThan(10);
    expect(await pack.analyze(set)).toEqual([]);
  });
});
