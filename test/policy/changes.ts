// Deliberate defects on a copy of a collected resource set, for the policy tests and the README's
// violation example.
import type { ResourceSet, StackResource } from "./resource-set";

/** A deep copy of `set`, so each test damages its own. */
export function copyOf(set: ResourceSet): ResourceSet {
  return structuredClone(set);
}

/** The one resource of `type` (the part after the last `:` is enough: "TaskDefinition") named `name`. */
export function find(set: ResourceSet, type: string, name: string): StackResource {
  const found = set.resources.filter(
    (r) => (r.type === type || r.type.endsWith(`:${type}`)) && r.name === name,
  );
  if (found.length !== 1) throw new Error(`expected one ${type} ${name}, found ${found.length}`);
  return found[0] as StackResource;
}

export interface Container {
  name: string;
  image: string;
  command?: string[];
  environment?: { name: string; value: string }[];
}

/** Edits the containers of task definition `name` (JSON text in the provider's inputs). */
export function editContainers(
  set: ResourceSet,
  name: string,
  change: (containers: Container[]) => void,
): StackResource {
  const task = find(set, "TaskDefinition", name);
  const containers = JSON.parse(String(task.props["containerDefinitions"])) as Container[];
  change(containers);
  task.props["containerDefinitions"] = JSON.stringify(containers);
  return task;
}

/** The container named `name`. */
export function container(containers: Container[], name: string): Container {
  const found = containers.find((c) => c.name === name);
  if (found === undefined) throw new Error(`no container ${name}`);
  return found;
}

/**
 * Adds a top-level resource whose inputs came from `from` (input name → resources), as the
 * engine records a program's `new aws.x.Y(name, { key: other.id })`.
 */
export function add(
  set: ResourceSet,
  resource: { type: string; name: string; props: Record<string, unknown> },
  from: Record<string, StackResource[]> = {},
): StackResource {
  const added: StackResource = {
    ...resource,
    urn: `urn:pulumi:${set.stack}::${set.project}::${resource.type}::${resource.name}`,
    parent: undefined,
    protect: false,
    dependencies: Object.values(from).flatMap((rs) => rs.map((r) => r.urn)),
    propertyDependencies: Object.fromEntries(
      Object.entries(from).map(([key, rs]) => [key, rs.map((r) => r.urn)]),
    ),
  };
  set.resources.push(added);
  return added;
}

/** An ingress rule opening TCP `port` of `group` to `source` (a CIDR or another group). */
export function ingressRule(
  set: ResourceSet,
  name: string,
  group: StackResource,
  port: number,
  source: string | StackResource,
  tags: Record<string, string>,
): StackResource {
  const peer: { props: Record<string, unknown>; from: Record<string, StackResource[]> } =
    typeof source === "string"
      ? { props: { cidrIpv4: source }, from: {} }
      : {
          props: { referencedSecurityGroupId: `${source.name}-id` },
          from: { referencedSecurityGroupId: [source] },
        };
  return add(
    set,
    {
      type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
      name,
      props: {
        securityGroupId: `${group.name}-id`,
        ipProtocol: "tcp",
        fromPort: port,
        toPort: port,
        tags,
        ...peer.props,
      },
    },
    { securityGroupId: [group], ...peer.from },
  );
}
