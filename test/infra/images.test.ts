import { describe, expect, it } from "vitest";
import { images, isPinnedImage } from "showcase-monitoring";

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
    ["prom/prometheus:v3.5.0", true],
    ["public.ecr.aws/aws-cli/aws-cli:2.27.0", true],
    [`123456789012.dkr.ecr.us-east-1.amazonaws.com/app@sha256:${"ab".repeat(32)}`, true],
  ])("isPinnedImage(%s) is %s", (reference, pinned) => {
    expect(isPinnedImage(reference)).toBe(pinned);
  });
});
