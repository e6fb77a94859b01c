// TLS inside the VPC: load balancers reach their targets over HTTPS, and every container that
// listens on a port shows how it serves TLS (docs/decisions/0015).
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { type ContainerDefinition, containersOf, isObject, type Props, TYPES } from "./resources";

interface TlsInsideConfig {
  certificateVariables: string[];
  exempt: Record<string, string>;
}

/** What says a container serves TLS, by the server's own switch. */
function servesTls(container: ContainerDefinition, certificateVariables: string[]): boolean {
  // Prometheus, Alertmanager and the exporters built on exporter-toolkit: `--web.config.file`.
  if ((container.command ?? []).some((arg) => /^--web\.config\.file=\S+/.test(arg))) return true;
  const environment = new Map((container.environment ?? []).map((e) => [e.name, e.value ?? ""]));
  // Grafana: [server] protocol.
  if (["https", "h2"].includes(environment.get("GF_SERVER_PROTOCOL")?.trim().toLowerCase() ?? ""))
    return true;
  return certificateVariables.some((name) => (environment.get(name) ?? "").trim() !== "");
}

export const noPlainHttpInsideVpc: ResourceValidationPolicy = {
  name: "no-plain-http-inside-vpc",
  description:
    "Target groups forward and health-check over HTTPS, and every container that listens on a port serves TLS.",
  severity: "high",
  remediationSteps:
    "Give the component `tls` (the stack's internal CA): the load balancer then connects with HTTPS, Prometheus and Alertmanager get `--web.config.file`, Grafana GF_SERVER_PROTOCOL=https, the service TLS_CERT_FILE. A container that must stay plain goes into `exempt` with the reason.",
  configSchema: {
    properties: {
      certificateVariables: {
        type: "array",
        items: { type: "string" },
        default: ["TLS_CERT_FILE"],
        description:
          "Environment variables that give a container its server certificate (the service's contract).",
      },
      exempt: {
        type: "object",
        additionalProperties: { type: "string" },
        default: {},
        description: "Container name → why it may serve plain HTTP.",
      },
    },
  },
  validateResource: (args, reportViolation) => {
    const props = args.props as Props;
    if ((TYPES.targetGroups as readonly string[]).includes(args.type)) {
      const protocol = props["protocol"];
      if (protocol === "HTTP") {
        reportViolation(`Target group ${args.name} forwards plain HTTP to its targets; set protocol HTTPS.`);
      }
      const health = isObject(props["healthCheck"]) ? props["healthCheck"]["protocol"] : undefined;
      // An unset health-check protocol is the target group's own.
      if (health === "HTTP" || (health === undefined && protocol === "HTTP")) {
        reportViolation(
          `Target group ${args.name} health-checks over plain HTTP; set healthCheck.protocol HTTPS.`,
        );
      }
      return;
    }
    if (args.type !== TYPES.taskDefinition) return;
    const { certificateVariables, exempt } = args.getConfig<TlsInsideConfig>();
    for (const container of containersOf(props)) {
      const ports = (container.portMappings ?? []).map((p) => p.containerPort);
      if (ports.length === 0 || container.name in exempt) continue;
      if (servesTls(container, certificateVariables)) continue;
      reportViolation(
        `Task definition ${args.name}, container ${container.name} (${container.image ?? ""}) listens on ${ports.join(", ")} without TLS: no --web.config.file, GF_SERVER_PROTOCOL=https or ${certificateVariables.join("/")}.`,
      );
    }
  },
};
