// HTTP(S) requests of the tools and tests, trusting only a CA of ours (fetch cannot be given one)
// and sending a credential, with what an HTTPS server presented: its certificate's serial number
// tells which certificate a connection got.
import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { request as tlsRequest, type Agent } from "node:https";
import { readFileSync } from "node:fs";
import type { TLSSocket } from "node:tls";

export interface HttpsAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
  /** Of the certificate the server presented; empty over plain HTTP. */
  serialNumber: string;
}

/** A credential: HTTP basic auth, or a bearer token. */
export type Credential = { username: string; password: string } | { bearerToken: string };

export interface HttpsOptions {
  /** The CA certificate file to trust (only it); required for https URLs. */
  caFile?: string;
  credential?: Credential;
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** A keep-alive agent, when the connection should outlive the request; a new connection otherwise. */
  agent?: Agent;
  /** Abort after this long without an answer. Default 10 s. */
  timeoutMs?: number;
}

export function authorization(credential: Credential): string {
  return "bearerToken" in credential
    ? `Bearer ${credential.bearerToken}`
    : `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString("base64")}`;
}

export function httpsRequest(url: string, options: HttpsOptions = {}): Promise<HttpsAnswer> {
  const secure = new URL(url).protocol === "https:";
  if (secure && options.caFile === undefined) {
    return Promise.reject(new Error(`${url}: an https URL needs the CA to trust (caFile)`));
  }
  return new Promise((resolve, reject) => {
    const send = secure ? tlsRequest : httpRequest;
    const req = send(
      url,
      {
        ...(secure && { ca: readFileSync(options.caFile!, "utf8") }),
        method: options.method ?? "GET",
        headers: {
          ...(options.body !== undefined && { "content-type": "application/json" }),
          ...(options.credential && { authorization: authorization(options.credential) }),
          ...options.headers,
        },
        agent: options.agent ?? false,
        timeout: options.timeoutMs ?? 10_000,
      },
      (res) => {
        const serialNumber = secure ? (res.socket as TLSSocket).getPeerCertificate().serialNumber : "";
        let body = "";
        res.on("data", (chunk: Buffer) => (body += chunk.toString()));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, serialNumber }),
        );
      },
    );
    req.on("timeout", () =>
      req.destroy(new Error(`${url}: no answer within ${options.timeoutMs ?? 10_000} ms`)),
    );
    req.on("error", reject);
    req.end(options.body === undefined ? undefined : JSON.stringify(options.body));
  });
}
