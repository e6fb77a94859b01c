// Every way an AWS security group can be opened, as one list: standalone rules
// (aws.vpc.SecurityGroupIngressRule, aws.ec2.SecurityGroupRule of type ingress) and inline `ingress`
// blocks. Groups are resolved through the engine's property dependencies, which are known at
// preview time even when the group ids are not: ids are read only for groups outside the stack.
import type { PolicyResource } from "@pulumi/policy";
import {
  asArray,
  dependency,
  givenOrUndefined,
  isObject,
  portRange,
  type PortRange,
  type Props,
  textOf,
  TYPES,
} from "./resources";

export type Source =
  | { kind: "cidr"; cidr: string }
  | { kind: "group"; group: PolicyResource }
  /** A group or prefix list this stack does not create (or an inline block's): `id` as written. */
  | { kind: "unattributed"; id: string };

export interface Ingress {
  /** The resource that opens the port (reported on). */
  rule: PolicyResource;
  /** The group opened; undefined when it is not a resource of this stack. */
  target: PolicyResource | undefined;
  targetId: string;
  ports: PortRange;
  sources: Source[];
}

const WORLD = new Set(["0.0.0.0/0", "::/0"]);

export function isWorld(source: Source): source is { kind: "cidr"; cidr: string } {
  return source.kind === "cidr" && WORLD.has(source.cidr);
}

function cidrs(...lists: unknown[]): Source[] {
  return lists.flatMap((list) => asArray(list).map((cidr): Source => ({ kind: "cidr", cidr: String(cidr) })));
}

/**
 * The group an input names: through the property dependency when the group is in the stack (its id
 * may be unknown during a preview), else by the id as written.
 */
function group(rule: PolicyResource, key: string): Source[] {
  const resolved = dependency(rule, key, [TYPES.securityGroup]);
  if (resolved !== undefined) return [{ kind: "group", group: resolved }];
  const id = (rule.props as Props)[key];
  return id === undefined || id === null || id === "" ? [] : [{ kind: "unattributed", id: textOf(id) }];
}

/** The group a rule opens, and how to name it. */
function target(rule: PolicyResource): Pick<Ingress, "target" | "targetId"> {
  const resolved = dependency(rule, "securityGroupId", [TYPES.securityGroup]);
  return {
    target: resolved,
    targetId: resolved?.name ?? textOf((rule.props as Props)["securityGroupId"]),
  };
}

function unattributed(...ids: unknown[]): Source[] {
  return ids.flatMap((id) => asArray(id)).map((id): Source => ({ kind: "unattributed", id: textOf(id) }));
}

function standaloneRule(rule: PolicyResource): Ingress {
  const p = rule.props as Props;
  return {
    rule,
    ...target(rule),
    ports: portRange(p["ipProtocol"], p["fromPort"], p["toPort"]),
    sources: [
      ...cidrs(p["cidrIpv4"], p["cidrIpv6"]),
      ...group(rule, "referencedSecurityGroupId"),
      ...unattributed(p["prefixListId"]),
    ],
  };
}

function legacyRule(rule: PolicyResource): Ingress {
  const p = rule.props as Props;
  const opened = target(rule);
  return {
    rule,
    ...opened,
    ports: portRange(p["protocol"], p["fromPort"], p["toPort"]),
    sources: [
      ...cidrs(p["cidrBlocks"], p["ipv6CidrBlocks"]),
      ...group(rule, "sourceSecurityGroupId"),
      ...(p["self"] === true && opened.target !== undefined
        ? [{ kind: "group" as const, group: opened.target }]
        : []),
      ...unattributed(p["prefixListIds"]),
    ],
  };
}

function inlineRules(securityGroup: PolicyResource): Ingress[] {
  return asArray(givenOrUndefined(securityGroup.props as Props, "ingress"))
    .filter(isObject)
    .map((block) => ({
      rule: securityGroup,
      target: securityGroup,
      targetId: securityGroup.name,
      ports: portRange(block["protocol"], block["fromPort"], block["toPort"]),
      sources: [
        ...cidrs(block["cidrBlocks"], block["ipv6CidrBlocks"]),
        ...(block["self"] === true ? [{ kind: "group" as const, group: securityGroup }] : []),
        // Inline blocks share one property dependency list: their groups cannot be told apart.
        ...unattributed(block["securityGroups"], block["prefixListIds"]),
      ],
    }));
}

/** Every ingress permission in the stack. */
export function ingressOf(resources: PolicyResource[]): Ingress[] {
  return resources.flatMap((r) => {
    if (r.type === TYPES.ingressRule) return [standaloneRule(r)];
    if (r.type === TYPES.securityGroupRule && (r.props as Props)["type"] === "ingress")
      return [legacyRule(r)];
    if (r.type === TYPES.securityGroup) return inlineRules(r);
    return [];
  });
}

/** URNs of the security groups attached to a load balancer of the stack. */
export function loadBalancerGroups(resources: PolicyResource[]): Set<string> {
  const urns = new Set<string>();
  for (const lb of resources.filter((r) => (TYPES.loadBalancers as readonly string[]).includes(r.type))) {
    for (const d of lb.propertyDependencies["securityGroups"] ?? []) {
      if (d.type === TYPES.securityGroup) urns.add(d.urn);
    }
  }
  return urns;
}
