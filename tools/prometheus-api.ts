// The few Prometheus and Alertmanager HTTP API calls the local stack and the end-to-end test need,
// over HTTPS with the CA and a credential when the server wants them.
import { httpsRequest, type HttpsOptions } from "./https";

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

/** How to reach a server: the CA to trust and the credential to send (none for plain HTTP). */
export type ClientOptions = Pick<HttpsOptions, "caFile" | "credential">;

export class PrometheusApi {
  constructor(
    readonly baseUrl: string,
    readonly client: ClientOptions = {},
  ) {}

  private async get<T>(path: string): Promise<T> {
    const url = `${this.baseUrl}${path}`;
    const answer = await httpsRequest(url, this.client);
    let body: { status?: string; data: T; error?: string };
    try {
      body = JSON.parse(answer.body) as typeof body;
    } catch {
      throw new Error(`${url}: HTTP ${answer.status}, not JSON: ${answer.body.slice(0, 200)}`);
    }
    if (body.status !== "success") throw new Error(`${url}: ${body.error ?? `HTTP ${answer.status}`}`);
    return body.data;
  }

  /** Instant query; `expr` must be valid PromQL. */
  async query(expr: string): Promise<Sample[]> {
    const data = await this.get<{ resultType: string; result: Sample[] | [number, string] }>(
      `/api/v1/query?query=${encodeURIComponent(expr)}`,
    );
    if (data.resultType === "scalar" || data.resultType === "string") {
      return [{ metric: {}, value: data.result as [number, string] }];
    }
    return data.result as Sample[];
  }

  async targets(): Promise<Target[]> {
    return (await this.get<{ activeTargets: Target[] }>("/api/v1/targets?state=active")).activeTargets;
  }

  async ruleGroups(): Promise<RuleGroup[]> {
    return (await this.get<{ groups: RuleGroup[] }>("/api/v1/rules")).groups;
  }

  async alerts(): Promise<Alert[]> {
    return (await this.get<{ alerts: Alert[] }>("/api/v1/alerts")).alerts;
  }
}
