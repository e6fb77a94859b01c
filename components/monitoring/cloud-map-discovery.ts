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

/**
 * The JMESPath that turns a DiscoverInstances answer into `file_sd` JSON: one target group per
 * instance, `<IPv4>:<port>`, labelled with the instance id.
 */
export function cloudMapTargetsQuery(port: number): string {
  requirePort("port", port);
  return `Instances[].{targets: [join(':', [Attributes.AWS_INSTANCE_IPV4, '${port}'])], labels: {${INSTANCE_ID_LABEL}: InstanceId}}`;
}

/**
 * The sidecar's shell script. It reads NAMESPACE, SERVICE, QUERY, TARGETS_FILE and
 * INTERVAL_SECONDS from its environment; each answer replaces the file atomically (Prometheus never
 * reads half a file), and a failed call keeps the last targets and says so on stderr.
 */
export const CLOUD_MAP_DISCOVERY_SCRIPT = [
  "set -u",
  'tmp="$TARGETS_FILE.tmp"',
  "while :; do",
  '  if aws servicediscovery discover-instances --namespace-name "$NAMESPACE" --service-name "$SERVICE" \\',
  `      --health-status ALL --max-results ${CLOUD_MAP_DISCOVER_MAX_RESULTS} --query "$QUERY" --output json > "$tmp"; then`,
  '    mv "$tmp" "$TARGETS_FILE"',
  "  else",
  '    echo "cloud-map-discovery: DiscoverInstances failed for $SERVICE.$NAMESPACE; keeping the last targets" >&2',
  "  fi",
  '  sleep "$INTERVAL_SECONDS"',
  "done",
].join("\n");
