// Load balancer listeners: HTTPS with a current TLS policy, plain HTTP only to redirect to HTTPS.
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { asArray, isObject, type Props, TYPES } from "./resources";

/** What ELB applies to an HTTPS listener created through the API without `sslPolicy` (TLS 1.0 too). */
const API_DEFAULT_POLICY = "ELBSecurityPolicy-2016-08";

interface TlsConfig {
  sslPolicies: string[];
}

export const httpsListenerTlsPolicy: ResourceValidationPolicy = {
  name: "https-listener-tls-policy",
  description: "HTTPS and TLS listeners use a current security policy (TLS 1.2 or later, forward secrecy).",
  severity: "high",
  remediationSteps: "Set the listener's sslPolicy to one of the allowed policies in policy/config.json.",
  configSchema: {
    properties: {
      sslPolicies: {
        type: "array",
        items: { type: "string" },
        minItems: 1,
        description: "Allowed ELB security policies.",
        default: [
          "ELBSecurityPolicy-TLS13-1-2-2021-06",
          "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
          "ELBSecurityPolicy-TLS13-1-3-2021-06",
          "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
          "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04",
          "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
          "ELBSecurityPolicy-TLS13-1-2-PQ-2025-09",
          "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
          "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
          "ELBSecurityPolicy-TLS13-1-2-FIPS-PQ-2025-09",
          "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09",
          "ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09",
        ],
      },
    },
  },
  validateResource: (args, reportViolation) => {
    if (!(TYPES.listeners as readonly string[]).includes(args.type)) return;
    const props = args.props as Props;
    if (props["protocol"] !== "HTTPS" && props["protocol"] !== "TLS") return;
    const { sslPolicies } = args.getConfig<TlsConfig>();
    const policy = props["sslPolicy"];
    if (typeof policy === "string" && sslPolicies.includes(policy)) return;
    const used =
      typeof policy === "string" && policy !== ""
        ? policy
        : `no sslPolicy, so ELB applies ${API_DEFAULT_POLICY}, which still accepts TLS 1.0`;
    reportViolation(
      `Listener ${args.name} (${String(props["protocol"])} ${String(props["port"])}) uses ${used}; allowed: ${sslPolicies.join(", ")}.`,
    );
  },
};

export const httpRedirectsToHttps: ResourceValidationPolicy = {
  name: "http-redirects-to-https",
  description: "Plain HTTP listeners only redirect to HTTPS.",
  severity: "high",
  remediationSteps:
    'Give the HTTP listener a single default action { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } } and serve the application on an HTTPS listener.',
  validateResource: (args, reportViolation) => {
    if (!(TYPES.listeners as readonly string[]).includes(args.type)) return;
    const props = args.props as Props;
    if (props["protocol"] !== "HTTP") return;
    const actions = asArray(props["defaultActions"]).filter(isObject);
    const redirects = actions.every(
      (action) =>
        action["type"] === "redirect" &&
        isObject(action["redirect"]) &&
        action["redirect"]["protocol"] === "HTTPS",
    );
    if (actions.length === 0 || !redirects) {
      const kinds = actions.map((a) => String(a["type"])).join(", ") || "none";
      reportViolation(
        `Listener ${args.name} (HTTP ${String(props["port"])}) serves plain HTTP (default actions: ${kinds}) instead of redirecting to HTTPS.`,
      );
    }
  },
};
