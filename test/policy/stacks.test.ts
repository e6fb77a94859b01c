// The policy pack on our own programs: the dev and prod resource sets, and the bootstrap stack's,
// pass every policy.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { PolicyPackProcess, readConfigFile, reconcileConfig } from "./policy-engine";
import { collectBootstrap } from "../delivery/bootstrap-stack";
import { collectResourceSet } from "./resource-set";

let pack: PolicyPackProcess;

beforeAll(async () => {
  pack = await PolicyPackProcess.start();
  const { policies } = await pack.info();
  await pack.configure(reconcileConfig(policies, readConfigFile()));
});
afterAll(async () => {
  await pack.stop();
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
