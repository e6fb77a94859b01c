// Log retention: CloudWatch keeps logs forever unless told otherwise, which costs and keeps
// personal data longer than anyone decided.
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { type Props, TYPES } from "./resources";

interface RetentionConfig {
  minDays: number;
  maxDays: number;
}

export const logRetentionSet: ResourceValidationPolicy = {
  name: "log-retention-set",
  description: "CloudWatch log groups set a retention period within the allowed range.",
  severity: "medium",
  remediationSteps: "Set retentionInDays on the log group (the stack's logRetentionDays).",
  configSchema: {
    properties: {
      minDays: { type: "integer", minimum: 1, default: 1, description: "Shortest retention allowed." },
      maxDays: { type: "integer", minimum: 1, default: 3653, description: "Longest retention allowed." },
    },
  },
  validateResource: (args, reportViolation) => {
    if (args.type !== TYPES.logGroup) return;
    const { minDays, maxDays } = args.getConfig<RetentionConfig>();
    const days = (args.props as Props)["retentionInDays"];
    if (typeof days !== "number" || days === 0) {
      reportViolation(`Log group ${args.name} keeps its logs forever (retentionInDays is not set).`);
    } else if (days < minDays || days > maxDays) {
      reportViolation(
        `Log group ${args.name} keeps its logs ${days} days; allowed: ${minDays} to ${maxDays} days.`,
      );
    }
  },
};
