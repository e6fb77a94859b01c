// The resources of a Pulumi program of ours as the policy engine hands them to a policy pack: the
// program (index.ts, or bootstrap/index.ts) runs under test/infra's mocks, and every registration's
// parent, dependencies, property dependencies and `protect` are read off the registration requests,
// as the engine records them.
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { installMocks, reveal, settle } from "../infra/harness";
import { type StackValues, stackValues } from "../infra/stack-files";

const ROOT = join(import.meta.dirname, "..", "..");
export const PROGRAMS = { stack: join(ROOT, "index.ts"), bootstrap: join(ROOT, "bootstrap", "index.ts") };

/** One resource as a policy sees it (@pulumi/policy's PolicyResource, without its helpers). */
export interface StackResource {
  type: string;
  name: string;
  urn: string;
  /** Inputs, secrets unwrapped (policies see plain values). */
  props: Record<string, unknown>;
  parent: string | undefined;
  dependencies: string[];
  /** Input name → URNs of the resources its value came from. */
  propertyDependencies: Record<string, string[]>;
  protect: boolean;
}

export interface ResourceSet {
  stack: string;
  project: string;
  resources: StackResource[];
  /** The program's stack outputs, resolved. */
  outputs: Record<string, unknown>;
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getProtect(): boolean;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): { entries(): Iterable<[string, { getUrnsList(): string[] }]> };
}

interface Monitor {
  registerResource(request: RegisterRequest, callback: unknown): unknown;
  newUrn(parent: string, type: string, name: string): string;
}

/**
 * Runs index.ts for `stack` (its stack file, or `values`) under mocks and returns what it registered.
 * Needs a fresh module registry for the program each time (vitest: `vi.resetModules()` before; a
 * script: one call per process).
 */
export function collectResourceSet(
  stack: "dev" | "prod",
  values: StackValues = stackValues(stack),
): Promise<ResourceSet> {
  return collectProgram(PROGRAMS.stack, stack, values);
}

/** Runs `program` for `stack` with `values` under mocks (see collectResourceSet). */
export async function collectProgram(
  program: string,
  stack: string,
  values: StackValues,
): Promise<ResourceSet> {
  const recorder = await installMocks({ stack, config: values.config, secretKeys: values.secretKeys });
  const monitor = pulumi.runtime.getMonitor() as unknown as Monitor;
  const links = new Map<
    string,
    Pick<StackResource, "parent" | "dependencies" | "propertyDependencies" | "protect">
  >();
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (request, callback) => {
    const parent = request.getParent() || undefined;
    const propertyDependencies: Record<string, string[]> = {};
    for (const [key, urns] of request.getPropertydependenciesMap().entries()) {
      propertyDependencies[key] = urns.getUrnsList();
    }
    links.set(monitor.newUrn(request.getParent(), request.getType(), request.getName()), {
      parent,
      dependencies: request.getDependenciesList(),
      propertyDependencies,
      protect: request.getProtect(),
    });
    return register(request, callback);
  };
  const exports = (await import(program)) as Record<string, unknown>;
  const outputs = await new Promise<Record<string, unknown>>((resolve) => {
    const named = Object.fromEntries(Object.entries(exports).filter(([key]) => key !== "default"));
    pulumi.output(named).apply((values) => resolve(values as Record<string, unknown>));
  });
  await settle(recorder);
  const resources = recorder.resources.map((r): StackResource => {
    const link = links.get(r.urn);
    if (link === undefined) throw new Error(`no registration seen for ${r.type} ${r.name}`);
    return {
      type: r.type,
      name: r.name,
      urn: r.urn,
      props: reveal(r.inputs) as Record<string, unknown>,
      ...link,
    };
  });
  return { stack, project: pulumi.getProject(), resources, outputs };
}
