// How Prometheus finds every task of a service, however many: a sidecar asks AWS Cloud Map's
// DiscoverInstances API (up to 1,000 instances an answer, where a DNS answer holds at most 8) and
// writes the answer as a Prometheus `file_sd` file; Prometheus watches the file. The sidecar is the
// pinned aws-cli image running this script, so the answer is shaped by the CLI's own JMESPath
// `--query`. See docs/decisions/0004-target-discovery.md.
import { requirePort } from "./validate";

/** Most instances one DiscoverInstances call returns (its MaxResults range is 1-1000). */
export const CLOUD_MAP_DISCOVER_MAX_RESULTS = 1000;

/** Where the sidecar writes the targets (a task volume, read-only in the Prometheus container). */
export const DISCOVERY_DIR = "/etc/prometheus/discovery";

/** The label each target gets from its Cloud Map instance id (for ECS, the task's id). */
export const INSTANCE_ID_LABEL = "cloud_map_instance_id";

/** Stands for the scrape port in CLOUD_MAP_TARGETS_QUERY. */
const PORT_PLACEHOLDER = "__PORT__";

/**
 * The JMESPath that turns a DiscoverInstances answer into `file_sd` JSON: one target group per
 * instance, `<IPv4>:<port>`, labelled with the instance id; the port is PORT_PLACEHOLDER.
 */
export const CLOUD_MAP_TARGETS_QUERY = `Instances[].{targets: [join(':', [Attributes.AWS_INSTANCE_IPV4, '${PORT_PLACEHOLDER}'])], labels: {${INSTANCE_ID_LABEL}: InstanceId}}`;

/** The query for targets on `port`. */
export function cloudMapTargetsQuery(port: number): string {
  requirePort("port", port);
  return CLOUD_MAP_TARGETS_QUERY.replace(PORT_PLACEHOLDER, String(port));
}

/** One service the sidecar discovers: a line of its TARGETS variable. */
export interface DiscoveredService {
  namespace: string;
  service: string;
  /** The port its targets are scraped on. */
  port: number;
  /** The file_sd file written for it. */
  file: string;
}

/** The sidecar's TARGETS variable: `namespace service port file`, a line per service. */
export function discoveryTargetsVariable(services: DiscoveredService[]): string {
  return services
    .map(({ namespace, service, port, file }) => {
      requirePort("port", port);
      for (const [field, value] of Object.entries({ namespace, service, file })) {
        if (!/^\S+$/.test(value))
          throw new Error(`${field}: expected no spaces (got ${JSON.stringify(value)})`);
      }
      return `${namespace} ${service} ${port} ${file}`;
    })
    .join("\n");
}

/**
 * The sidecar's shell script. For every line of TARGETS it asks DiscoverInstances about that
 * service and replaces the service's file atomically (Prometheus never reads half a file); a
 * failed call keeps the last targets and says so on stderr. QUERY is CLOUD_MAP_TARGETS_QUERY,
 * INTERVAL_SECONDS the pause between rounds.
 */
export const CLOUD_MAP_DISCOVERY_SCRIPT = [
  "set -u",
  "while :; do",
  "  printf '%s\\n' \"$TARGETS\" | while read -r namespace service port file; do",
  '    [ -n "${file:-}" ] || continue',
  `    query=$(printf '%s' "$QUERY" | sed "s/${PORT_PLACEHOLDER}/$port/")`,
  '    if aws servicediscovery discover-instances --namespace-name "$namespace" --service-name "$service" \\',
  `        --health-status ALL --max-results ${CLOUD_MAP_DISCOVER_MAX_RESULTS} --query "$query" --output json < /dev/null > "$file.tmp"; then`,
  '      mv "$file.tmp" "$file"',
  "    else",
  '      echo "cloud-map-discovery: DiscoverInstances failed for $service.$namespace; keeping the last targets" >&2',
  "    fi",
  "  done",
  '  sleep "$INTERVAL_SECONDS"',
  "done",
].join("\n");
