// Turns RulesInput into a RuleContext: defaults filled in, every number and duration checked.
import { DEFAULT_APP_JOB, HTTP_DURATION_BUCKETS } from "../conventions";
import type { AlertThresholds, RulesInput } from "../types";
import { durationMs, invalid, requireFraction, requirePositive, requireText } from "../validate";
import { fieldsOf, requireKnownKeys } from "./checks";
import type { RuleContext } from "./model";
import { runbookTemplate } from "./runbook";

export const DEFAULT_THRESHOLDS: Required<AlertThresholds> = {
  errorRatio: 0.05,
  minRequestRate: 0.1,
  latencyP99Seconds: 1,
  latencyP90Seconds: 0.5,
  eventLoopLagSeconds: 0.2,
  memoryRatio: 0.9,
  cpuCores: 0.9,
  dbPoolRatio: 0.9,
  dbSizeBytes: 10 * 1024 ** 3,
  restartsPerHour: 5,
  fdRatio: 0.8,
  gcTimeRatio: 0.1,
  containerMemoryRatio: 0.9,
  taskCpuRatio: 0.9,
  prometheusStorageRatio: 0.9,
  remoteWriteLagSeconds: 120,
  dbQueryP99Seconds: 0.5,
  dbErrorRatio: 0.05,
  for: "5m",
};

const FRACTIONS = [
  "errorRatio",
  "memoryRatio",
  "dbPoolRatio",
  "fdRatio",
  "gcTimeRatio",
  "dbErrorRatio",
  "containerMemoryRatio",
  "taskCpuRatio",
  "prometheusStorageRatio",
] as const;

// Prometheus 3 rewrites integer bucket bounds (le="1" becomes "1.0"), so an SLO on an integer bound
// would match nothing there: only the non-integer bounds are accepted.
const SLO_BUCKETS = HTTP_DURATION_BUCKETS.filter((b) => !Number.isInteger(b));

const INPUT_FIELDS = fieldsOf<RulesInput>({
  environment: true,
  appJob: true,
  thresholds: true,
  slo: true,
  runbookBaseUrl: true,
  runbookUrlTemplate: true,
  overrides: true,
  drop: true,
  groups: true,
  dashboardsDeployed: true,
});

export function ruleContext(input: RulesInput): RuleContext {
  requireKnownKeys("", input, INPUT_FIELDS);
  requireText("environment", input.environment);
  const job = requireText("appJob", input.appJob ?? DEFAULT_APP_JOB);
  const runbooks = runbookTemplate(input);
  const unknown = Object.keys(input.thresholds ?? {}).filter((key) => !(key in DEFAULT_THRESHOLDS));
  if (unknown.length > 0) {
    invalid(
      `thresholds.${unknown[0]}`,
      unknown[0],
      `unknown threshold; known: ${Object.keys(DEFAULT_THRESHOLDS).join(", ")}`,
    );
  }
  const thresholds = { ...DEFAULT_THRESHOLDS, ...input.thresholds };
  for (const [key, value] of Object.entries(thresholds)) {
    if (key === "for") durationMs("thresholds.for", thresholds.for);
    else if ((FRACTIONS as readonly string[]).includes(key))
      requireFraction(`thresholds.${key}`, value as number);
    else requirePositive(`thresholds.${key}`, value as number);
  }
  if (!input.slo) invalid("slo", input.slo, "expected { availability, latency, latencyThresholdSeconds }");
  requireFraction("slo.availability", input.slo.availability);
  requireFraction("slo.latency", input.slo.latency);
  if (!SLO_BUCKETS.includes(input.slo.latencyThresholdSeconds)) {
    invalid(
      "slo.latencyThresholdSeconds",
      input.slo.latencyThresholdSeconds,
      `expected a non-integer bucket bound of http_request_duration_seconds: ${SLO_BUCKETS.join(", ")}`,
    );
  }
  if (input.dashboardsDeployed !== undefined && typeof input.dashboardsDeployed !== "boolean") {
    invalid("dashboardsDeployed", input.dashboardsDeployed, "expected true or false");
  }
  return { job, thresholds, slo: input.slo, runbookTemplate: runbooks };
}
