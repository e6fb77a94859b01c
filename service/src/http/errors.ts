// Error answers: every error is JSON `{error, message[, field]}`; bad input is a 4xx that says
// what was wrong and where; a missing database is a 503; anything else a 500 that leaks nothing.
import { STATUS_CODES } from "node:http";
import type { ErrorObject } from "ajv";
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { DatabaseUnavailableError } from "../db/errors";

export interface ErrorBody {
  error: string;
  message: string;
  field?: string;
}

/** How long clients should wait before retrying while the database is away. */
export const RETRY_AFTER_SECONDS = "5";

export function errorBody(statusCode: number, message: string, field?: string): ErrorBody {
  const body: ErrorBody = { error: STATUS_CODES[statusCode] ?? "Error", message };
  if (field !== undefined) body.field = field;
  return body;
}

const FORMAT_MESSAGES: Record<string, string> = {
  uuid: "must be a UUID",
  "http-url": "must be an http:// or https:// URL",
};

/** The body of a 400 for a schema violation, naming the field (as a path such as `tags/3`). */
function validationErrorBody(context: string, issue: ErrorObject): ErrorBody {
  const path = issue.instancePath.replace(/^\//, "");
  const join = (name: string) => (path === "" ? name : `${path}/${name}`);
  const where = (field: string) => `${context}/${field}`;
  switch (issue.keyword) {
    case "required": {
      const field = join(String(issue.params.missingProperty));
      return errorBody(400, `${where(field)} is required`, field);
    }
    case "additionalProperties": {
      const field = join(String(issue.params.additionalProperty));
      return errorBody(400, `${where(field)} is not an allowed field`, field);
    }
    default: {
      const message =
        (issue.keyword === "format" && FORMAT_MESSAGES[String(issue.params.format)]) || issue.message;
      return path === ""
        ? errorBody(400, `${context} ${message}`)
        : errorBody(400, `${where(path)} ${message}`, path);
    }
  }
}

function isFastifyError(error: unknown): error is FastifyError {
  return error instanceof Error && "statusCode" in error;
}

export function handleError(
  this: FastifyInstance,
  error: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  if (isFastifyError(error) && error.validation?.[0] !== undefined) {
    return reply
      .code(400)
      .send(validationErrorBody(error.validationContext ?? "request", error.validation[0]));
  }
  if (isFastifyError(error) && error.code === "FST_ERR_HANDLER_TIMEOUT")
    return requestTimedOut(request, reply);
  if (error instanceof DatabaseUnavailableError) {
    request.log.warn({ err: error.cause }, "database unavailable");
    return reply.code(503).header("retry-after", RETRY_AFTER_SECONDS).send(errorBody(503, error.message));
  }
  // Fastify's own client errors: malformed JSON, body too large, unsupported media type, ...
  if (
    isFastifyError(error) &&
    error.statusCode !== undefined &&
    error.statusCode >= 400 &&
    error.statusCode < 500
  ) {
    return reply.code(error.statusCode).send(errorBody(error.statusCode, error.message));
  }
  request.log.error({ err: error }, "request failed");
  return reply.code(500).send(errorBody(500, "internal error"));
}

/**
 * REQUEST_TIMEOUT_MS ran out. A body still arriving is the client's fault (408, and the connection
 * closes: the rest of the body is never read); a complete request not answered in time is ours.
 * (On Node 20, Fastify's timer stops once a body has arrived, fastify PR 6725: requests with a
 * body are then bounded by the database's own timeouts.)
 */
function requestTimedOut(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const ms = request.routeOptions.handlerTimeout;
  if (!request.raw.complete) {
    return reply
      .code(408)
      .header("connection", "close")
      .send(errorBody(408, `the request body did not arrive within ${ms} ms`));
  }
  request.log.warn({ timeoutMs: ms }, "request not answered in time");
  return reply
    .code(503)
    .header("retry-after", RETRY_AFTER_SECONDS)
    .send(errorBody(503, `the request was not answered within ${ms} ms`));
}

export function notFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const path = request.url.split("?")[0]!;
  const shown = path.length > 200 ? `${path.slice(0, 200)}…` : path;
  return reply.code(404).send(errorBody(404, `no route for ${request.method} ${shown}`));
}
