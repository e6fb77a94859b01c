// The soak's HTTP client: one request on a keep-alive agent, timed; a failed connection is an
// answer too (status 0), never an exception.
import { Agent, request } from "node:http";

export interface Answer {
  status: number;
  ms: number;
  /** Parsed JSON body, when there is one. */
  body: unknown;
  /** When the answer arrived (performance.now()). */
  at: number;
}

/** Longer than anything the service may take (REQUEST_TIMEOUT_MS is 15 s at most). */
const CLIENT_TIMEOUT_MS = 30_000;

export function createClient(base: string, connections: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const send = (method: string, path: string, payload?: unknown, rawBody?: string): Promise<Answer> => {
    const started = performance.now();
    const body = rawBody ?? (payload === undefined ? undefined : JSON.stringify(payload));
    return new Promise((resolve) => {
      const done = (status: number, text = "") => {
        let parsed: unknown;
        try {
          parsed = text === "" ? undefined : JSON.parse(text);
        } catch {
          parsed = text;
        }
        const at = performance.now();
        resolve({ status, ms: at - started, body: parsed, at });
      };
      const req = request(
        `${base}${path}`,
        {
          agent,
          method,
          timeout: CLIENT_TIMEOUT_MS,
          headers: body === undefined ? {} : { "content-type": "application/json" },
        },
        (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => (text += chunk));
          res.on("end", () => done(res.statusCode ?? 0, text));
          res.on("error", () => done(0));
        },
      );
      req.on("timeout", () => req.destroy(new Error("client timeout")));
      req.on("error", () => done(0));
      req.end(body);
    });
  };
  return { send, close: () => agent.destroy() };
}

export type Client = ReturnType<typeof createClient>;
