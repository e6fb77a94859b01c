// Network boundaries (docs/decisions/0006-network-boundaries.md): only load balancers face the
// internet, on their listener ports; every service port inside the VPC is open to its clients only.
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { type Ingress, ingressOf, isWorld, loadBalancerGroups, type Source } from "./ingress";
import { componentOf, coversPort, describe, portText } from "./resources";

interface WorldConfig {
  ports: number[];
}

export const noIngressFromAnywhere: StackValidationPolicy = {
  name: "no-ingress-from-anywhere",
  description:
    "Security groups accept traffic from anywhere (0.0.0.0/0, ::/0) only on load balancers, and only on their listener ports.",
  severity: "critical",
  remediationSteps:
    "Open the port to the security group of its client (referencedSecurityGroupId) or to a known CIDR; only the load balancers' 80/443 face the internet.",
  configSchema: {
    properties: {
      ports: {
        type: "array",
        items: { type: "integer", minimum: 0, maximum: 65535 },
        default: [80, 443],
        description: "Ports a load balancer may open to anywhere.",
      },
    },
  },
  validateStack: (args, reportViolation) => {
    const { ports } = args.getConfig<WorldConfig>();
    const balancers = loadBalancerGroups(args.resources);
    for (const ingress of ingressOf(args.resources)) {
      const world = ingress.sources.filter(isWorld);
      if (world.length === 0) continue;
      const cidrs = world.map((s) => s.cidr).join(" and ");
      if (ingress.target === undefined || !balancers.has(ingress.target.urn)) {
        reportViolation(
          `${ingress.rule.name} opens ${portText(ingress.ports)} of security group ${groupText(ingress)} to ${cidrs}, but ${ingress.targetId} belongs to no load balancer: only load balancers may accept traffic from anywhere.`,
          ingress.rule.urn,
        );
      } else if (!rangeWithin(ingress, ports)) {
        reportViolation(
          `${ingress.rule.name} opens ${portText(ingress.ports)} of load balancer security group ${groupText(ingress)} to ${cidrs}; load balancers may accept traffic from anywhere on ${ports.join(", ")} only.`,
          ingress.rule.urn,
        );
      }
    }
  },
};

function rangeWithin(ingress: Ingress, ports: number[]): boolean {
  const range = ingress.ports;
  if (range === undefined) return false;
  for (let port = range.from; port <= range.to; port++) if (!ports.includes(port)) return false;
  return true;
}

function groupText(ingress: Ingress): string {
  return ingress.target === undefined
    ? `${ingress.targetId} (not a security group of this stack)`
    : describe(ingress.target);
}

/** `clients` entries with a meaning beyond a component name. */
const LOAD_BALANCER = "load-balancer";
const SAME_COMPONENT = "same-component";

interface ServicePort {
  port: number;
  service: string;
  clients: string[];
  cidrs?: string[];
}

interface ClientsConfig {
  ports: ServicePort[];
}

export const servicePortsFromClientsOnly: StackValidationPolicy = {
  name: "service-ports-from-clients-only",
  description:
    "The metrics, Prometheus, Alertmanager, Grafana, PostgreSQL and NFS ports are reachable only from their clients' security groups (or CIDRs listed for that port).",
  severity: "high",
  remediationSteps:
    "Reference the client's security group (referencedSecurityGroupId) instead of a CIDR, or add the CIDR to the port's `cidrs` in policy/config.json when it is a deliberate client (an office or VPN range).",
  configSchema: {
    properties: {
      ports: {
        type: "array",
        description: `Ports and who may reach them. A client is a component tag, "${LOAD_BALANCER}" (a load balancer of the same component) or "${SAME_COMPONENT}".`,
        items: {
          type: "object",
          properties: {
            port: { type: "integer", minimum: 0, maximum: 65535 },
            service: { type: "string" },
            clients: { type: "array", items: { type: "string" } },
            cidrs: { type: "array", items: { type: "string" } },
          },
          required: ["port", "service", "clients"],
          additionalProperties: false,
        },
        default: [
          { port: 9464, service: "the app's metrics", clients: ["prometheus"] },
          { port: 9779, service: "ecs_exporter", clients: ["prometheus"] },
          { port: 9090, service: "Prometheus", clients: ["grafana"] },
          { port: 9093, service: "Alertmanager", clients: ["prometheus", "grafana"] },
          { port: 3000, service: "the app and Grafana", clients: [LOAD_BALANCER] },
          { port: 5432, service: "PostgreSQL", clients: ["app"] },
          { port: 2049, service: "NFS (EFS)", clients: [SAME_COMPONENT] },
        ],
      },
    },
  },
  validateStack: (args, reportViolation) => {
    const { ports } = args.getConfig<ClientsConfig>();
    const balancers = loadBalancerGroups(args.resources);
    for (const ingress of ingressOf(args.resources)) {
      for (const servicePort of ports.filter((p) => coversPort(ingress.ports, p.port))) {
        for (const source of ingress.sources) {
          if (allowed(source, servicePort, ingress.target, balancers)) continue;
          const clients = [
            ...servicePort.clients,
            ...(servicePort.cidrs ?? []).map((cidr) => `CIDR ${cidr}`),
          ].join(", ");
          reportViolation(
            `${ingress.rule.name} lets ${sourceText(source)} reach port ${servicePort.port} (${servicePort.service}) of security group ${groupText(ingress)}; its clients are: ${clients}.`,
            ingress.rule.urn,
          );
        }
      }
    }
  },
};

function allowed(
  source: Source,
  servicePort: ServicePort,
  target: PolicyResource | undefined,
  balancers: Set<string>,
): boolean {
  if (source.kind === "cidr") return (servicePort.cidrs ?? []).includes(source.cidr);
  if (source.kind === "unattributed") return false;
  const component = componentOf(source.group);
  if (component === undefined) return false;
  const sameComponent = target !== undefined && componentOf(target) === component;
  return (
    servicePort.clients.includes(component) ||
    (servicePort.clients.includes(LOAD_BALANCER) && sameComponent && balancers.has(source.group.urn)) ||
    (servicePort.clients.includes(SAME_COMPONENT) && sameComponent)
  );
}

function sourceText(source: Source): string {
  switch (source.kind) {
    case "cidr":
      return `CIDR ${source.cidr}`;
    case "group":
      return `security group ${describe(source.group)}`;
    case "unattributed":
      return `${source.id} (a security group or prefix list this policy cannot attribute to a component)`;
  }
}
