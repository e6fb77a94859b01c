// The bootstrap program's stack file as Pulumi hands it to the program, and a run of it under mocks.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import type { StackValues } from "../infra/stack-files";
import { collectProgram, PROGRAMS, type ResourceSet } from "../policy/resource-set";

export const BOOTSTRAP_STACK = "bootstrap";

/** bootstrap/Pulumi.bootstrap.yaml, with `changes` (`bootstrap:key` → value, undefined removes). */
export function bootstrapValues(changes: Record<string, unknown> = {}): StackValues {
  const file = parse(
    readFileSync(
      join(import.meta.dirname, "..", "..", "bootstrap", `Pulumi.${BOOTSTRAP_STACK}.yaml`),
      "utf8",
    ),
  ) as { config: Record<string, unknown> };
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...file.config, ...changes })) {
    if (value !== undefined) config[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return { config, secretKeys: [] };
}

/** Runs bootstrap/index.ts under mocks (needs a fresh module registry: `vi.resetModules()`). */
export function collectBootstrap(values: StackValues = bootstrapValues()): Promise<ResourceSet> {
  return collectProgram(PROGRAMS.bootstrap, BOOTSTRAP_STACK, values);
}
