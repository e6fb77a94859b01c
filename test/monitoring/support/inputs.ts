// The rule inputs the unit tests run against: defaults everywhere (the case descriptions spell the
// default thresholds out), a 99.5% / 99% SLO with a 0.5 s latency threshold.
import type { RulesInput } from "showcase-monitoring/monitoring";

export const RUNBOOKS = "https://runbooks.example/docs/runbooks";
export const JOB = "showcase-api";

export const RULES_INPUT: RulesInput = {
  environment: "test",
  slo: { availability: 0.995, latency: 0.99, latencyThresholdSeconds: 0.5 },
  runbookBaseUrl: RUNBOOKS,
};
