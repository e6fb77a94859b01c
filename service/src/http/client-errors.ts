// Requests refused before routing: what Node's HTTP parser rejects (a malformed request line,
// header or chunk, headers too large or too slow to arrive) and requests without a Host header.
// They get the API's JSON error shape like every other 4xx, and are counted by reason so that an
// attack shows on the dashboards. There is no request to reply to: the answer goes on the socket.
import { STATUS_CODES, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { FastifyBaseLogger } from "fastify";
import type { ConnectionTracker } from "./connections";
import { errorBody } from "./errors";

export const CLIENT_ERROR_REASONS = ["malformed", "headers_too_large", "timeout", "missing_host"] as const;
export type ClientErrorReason = (typeof CLIENT_ERROR_REASONS)[number];
export type ClientErrorRecorder = (reason: ClientErrorReason) => void;

interface Refusal {
  status: number;
  reason: ClientErrorReason;
  message: string;
}

/** Node's parser errors carry the llhttp code (HPE_*) and, for parse errors, a reason in words. */
type ParserError = Error & { code?: string; reason?: string };

/** What to answer to an error from Node's HTTP parser; undefined when the client is gone anyway. */
export function refusalFor(error: ParserError): Refusal | undefined {
  switch (error.code) {
    case "ECONNRESET":
      return undefined;
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return { status: 408, reason: "timeout", message: "the request did not arrive in time" };
    case "HPE_HEADER_OVERFLOW":
      return { status: 431, reason: "headers_too_large", message: "the request headers are too large" };
    default: {
      const what = error.reason ?? error.message;
      const code = error.code === undefined ? "" : ` (${error.code})`;
      return { status: 400, reason: "malformed", message: `malformed request: ${what}${code}` };
    }
  }
}

function rawResponse(status: number, message: string): string {
  const body = JSON.stringify(errorBody(status, message));
  return [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? "Error"}`,
    "content-type: application/json; charset=utf-8",
    `content-length: ${Buffer.byteLength(body)}`,
    "connection: close",
    "",
    body,
  ].join("\r\n");
}

/** Fastify's clientErrorHandler: answers in JSON, counts, and closes the connection. */
export function createClientErrorHandler(
  connections: ConnectionTracker,
  record: ClientErrorRecorder,
  log: FastifyBaseLogger,
): (error: ParserError, socket: Socket) => void {
  return (error, socket) => {
    const refusal = refusalFor(error);
    if (refusal !== undefined && !socket.destroyed) {
      record(refusal.reason);
      log.debug({ err: error, reason: refusal.reason }, "request refused before routing");
      // As Node does: never write into an answer that has already begun on this connection.
      if (socket.writable && !connections.responseStarted(socket))
        socket.write(rawResponse(refusal.status, refusal.message));
    }
    socket.destroy();
  };
}

/**
 * HTTP/1.1 requires a Host header. Node would refuse its absence itself, with an empty 400 and no
 * event; it is switched off there (requireHostHeader) and done here, before routing, in JSON.
 */
export function refuseWithoutHost(
  request: { httpVersion: string; headers: { host?: string } },
  response: ServerResponse,
  record: ClientErrorRecorder,
): boolean {
  if (request.httpVersion !== "1.1" || request.headers.host) return false;
  record("missing_host");
  const body = JSON.stringify(errorBody(400, "the Host header is required"));
  response
    .writeHead(400, {
      "content-type": "application/json; charset=utf-8",
      "content-length": Buffer.byteLength(body),
      connection: "close",
    })
    .end(body);
  return true;
}
