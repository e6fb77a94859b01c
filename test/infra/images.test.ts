import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { images, isPinnedImage } from "showcase-monitoring";
import { reportedVersion, TESTED_VERSIONS } from "../../tools/monitoring-tools";

const DECISION = join(__dirname, "../../docs/decisions/0008-tested-and-deployed-versions.md");

/** [major, minor, patch] of an image tag such as `v3.13.4` or `12.4.12`. */
function tagVersion(reference: string): number[] {
  const version = /:v?(\d+\.\d+\.\d+)$/.exec(reference)?.[1];
  if (version === undefined) throw new Error(`${reference}: no x.y.z release tag`);
  return version.split(".").map(Number);
}

const parts = (version: string) => version.split(".").map(Number);

/** Negative, zero or positive as `a` is older than, equal to or newer than `b`. */
function compareVersions(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++) {
    const difference = (a[i] ?? 0) - (b[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

describe("images", () => {
  it.each(Object.entries(images))("%s is pinned to an exact version (%s)", (_, reference) => {
    expect(isPinnedImage(reference)).toBe(true);
    expect(reference).not.toMatch(/:latest$/);
  });

  it.each([
    ["prom/prometheus", false],
    ["prom/prometheus:latest", false],
    ["grafana/grafana:main", false],
    ["localhost:5000/app", false],
    ["prom/prometheus:v3.13.4", true],
    ["public.ecr.aws/aws-cli/aws-cli:2.27.0", true],
    [`123456789012.dkr.ecr.us-east-1.amazonaws.com/app@sha256:${"ab".repeat(32)}`, true],
  ])("isPinnedImage(%s) is %s", (reference, pinned) => {
    expect(isPinnedImage(reference)).toBe(pinned);
  });
});

// What the tests run is read from the binaries themselves (`--version`), not from the pins.
describe("deployed versus tested versions", () => {
  it("runs the pinned Prometheus and Alertmanager in the tests", () => {
    expect(reportedVersion("prometheus")).toBe(TESTED_VERSIONS.prometheus);
    expect(reportedVersion("promtool")).toBe(TESTED_VERSIONS.prometheus);
    expect(reportedVersion("prometheus-alertmanager")).toBe(TESTED_VERSIONS.alertmanager);
    expect(reportedVersion("amtool")).toBe(TESTED_VERSIONS.alertmanager);
  });

  it("deploys Prometheus of the tested major, no older than the tested release", () => {
    const deployed = tagVersion(images.prometheus);
    const tested = parts(reportedVersion("promtool"));
    expect(deployed[0]).toBe(tested[0]);
    expect(compareVersions(deployed, tested)).toBeGreaterThanOrEqual(0);
  });

  it("deploys exactly the tested Alertmanager", () => {
    expect(tagVersion(images.alertmanager)).toEqual(parts(reportedVersion("amtool")));
  });

  it("records the deployed images and the tested versions in decision 0008", () => {
    const record = readFileSync(DECISION, "utf8");
    for (const reference of [images.prometheus, images.alertmanager, images.grafana]) {
      expect(record).toContain(`\`${reference}\``);
    }
    expect(record).toContain(`Prometheus ${TESTED_VERSIONS.prometheus}`);
    expect(record).toContain(`Alertmanager ${TESTED_VERSIONS.alertmanager}`);
  });
});
