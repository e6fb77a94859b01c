// The few Prometheus and Alertmanager HTTP API calls the local stack and the end-to-end test need.

export interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

export interface Target {
  labels: Record<string, string>;
  scrapePool: string;
  scrapeUrl: string;
  health: "up" | "down" | "unknown";
  lastError: string;
}

export interface RuleGroup {
  name: string;
  file: string;
  rules: { name: string; type: "alerting" | "recording"; health: string; lastError?: string }[];
}

export interface Alert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: "pending" | "firing" | "inactive";
}

async function get<T>(url: string): Promise<T> {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  const body = (await response.json()) as { status: string; data: T; error?: string };
  if (body.status !== "success") throw new Error(`${url}: ${body.error ?? response.status}`);
  return body.data;
}

export class PrometheusApi {
  constructor(readonly baseUrl: string) {}

  /** Instant query; `expr` must be valid PromQL. */
  async query(expr: string): Promise<Sample[]> {
    const data = await get<{ resultType: string; result: Sample[] | [number, string] }>(
      `${this.baseUrl}/api/v1/query?query=${encodeURIComponent(expr)}`,
    );
    if (data.resultType === "scalar" || data.resultType === "string") {
      return [{ metric: {}, value: data.result as [number, string] }];
    }
    return data.result as Sample[];
  }

  async targets(): Promise<Target[]> {
    return (await get<{ activeTargets: Target[] }>(`${this.baseUrl}/api/v1/targets?state=active`))
      .activeTargets;
  }

  async ruleGroups(): Promise<RuleGroup[]> {
    return (await get<{ groups: RuleGroup[] }>(`${this.baseUrl}/api/v1/rules`)).groups;
  }

  async alerts(): Promise<Alert[]> {
    return (await get<{ alerts: Alert[] }>(`${this.baseUrl}/api/v1/alerts`)).alerts;
  }
}
