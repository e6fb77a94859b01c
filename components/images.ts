// Every third-party image the stack runs, pinned to an exact release tag in one place, so an upgrade
// is one reviewed line and a test can check that nothing floats (no `latest`, no bare name).
// Which versions are deployed, which are tested, and why: docs/decisions/0008.

export const images = {
  /**
   * Prometheus 3.13, the supported LTS line (3.5's support ended 2026-07-31). The tests run 3.5.3:
   * the generated files are held to what it accepts, which 3.13 reads the same (same major).
   */
  prometheus: "prom/prometheus:v3.13.4",
  /** Exactly the tested release: Alertmanager 0.x promises no compatibility between minors. */
  alertmanager: "prom/alertmanager:v0.33.1",
  /** Grafana 12.4, the last minor of 12 (the longest patch support); 13 drops SigV4 on Prometheus. */
  grafana: "grafana/grafana:12.4.11",
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
