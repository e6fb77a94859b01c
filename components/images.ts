// Every third-party image the stack runs, pinned to an exact release tag in one place, so an upgrade
// is one reviewed line and a test can check that nothing floats (no `latest`, no bare name).

export const images = {
  /** Prometheus 3.5 is the LTS line of Prometheus 3. */
  prometheus: "prom/prometheus:v3.5.0",
  alertmanager: "prom/alertmanager:v0.28.1",
  grafana: "grafana/grafana:12.4.0",
  /** Per-container CPU, memory and network of a task, read from the ECS task metadata endpoint. */
  ecsExporter: "quay.io/prometheuscommunity/ecs-exporter:v0.4.0",
  /** Init containers that fetch generated configuration from S3. */
  awsCli: "public.ecr.aws/aws-cli/aws-cli:2.27.0",
} as const;

/**
 * True when an image reference names an exact version: a digest, or a tag that is not `latest`
 * and carries a version number.
 */
export function isPinnedImage(reference: string): boolean {
  if (/@sha256:[0-9a-f]{64}$/.test(reference)) return true;
  const tag = /:([^/:@]+)$/.exec(reference)?.[1];
  return tag !== undefined && tag !== "latest" && /\d+\.\d+/.test(tag);
}
