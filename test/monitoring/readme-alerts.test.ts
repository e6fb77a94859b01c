// The README's count of alerts is the rules' own: Prometheus's alert names and Grafana's on CloudWatch.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { alertNames, CLOUDWATCH_ALERT_NAMES } from "showcase-monitoring/monitoring";
import { RULES_INPUT } from "./support/inputs";

const README = readFileSync(join(import.meta.dirname, "../../README.md"), "utf8");

describe("README: what is monitored", () => {
  it("counts the alerts there are", () => {
    const claim = /\*\*Alerts\*\* \((\d+) in Prometheus and (\d+) that Grafana evaluates on CloudWatch/.exec(
      README,
    );
    expect(claim, "the Alerts line of 'What is monitored'").not.toBeNull();
    expect(Number(claim?.[1])).toBe(new Set(alertNames(RULES_INPUT)).size);
    expect(Number(claim?.[2])).toBe(Object.keys(CLOUDWATCH_ALERT_NAMES).length);
  });
});
