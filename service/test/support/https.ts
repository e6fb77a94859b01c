// HTTPS requests for tests, trusting a test CA (fetch cannot be given one), with what the server
// presented: its certificate's serial number tells which certificate a connection got.
import { request, type Agent } from "node:https";
import type { IncomingHttpHeaders } from "node:http";
import { readFileSync } from "node:fs";
import type { TLSSocket } from "node:tls";

export interface HttpsAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** Of the certificate the server presented. */
  serialNumber: string;
}

export interface HttpsOptions {
  /** The CA certificate file to trust (only it). */
  caFile: string;
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** A keep-alive agent, when the connection should outlive the request; a new connection otherwise. */
  agent?: Agent;
}

export function httpsRequest(url: string, options: HttpsOptions): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        ca: readFileSync(options.caFile, "utf8"),
        method: options.method ?? "GET",
        headers: {
          ...(options.body !== undefined && { "content-type": "application/json" }),
          ...options.headers,
        },
        agent: options.agent ?? false,
      },
      (res) => {
        const serialNumber = (res.socket as TLSSocket).getPeerCertificate().serialNumber;
        let body = "";
        res.on("data", (chunk: Buffer) => (body += chunk.toString()));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, serialNumber }),
        );
      },
    );
    req.on("error", reject);
    req.end(options.body === undefined ? undefined : JSON.stringify(options.body));
  });
}
