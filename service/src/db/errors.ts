// Which database failures mean "the database is unavailable" (answer 503, try again later) as
// opposed to a bug (500). Connection failures, timeouts, shutdowns and refused logins all qualify.

export class DatabaseUnavailableError extends Error {
  constructor(cause: unknown) {
    super("database unavailable", { cause });
    this.name = "DatabaseUnavailableError";
  }
}

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
]);

// SQLSTATE classes and codes: 08 connection exception, 28 invalid authorization, 53 insufficient
// resources (too many connections, ...), 57P01-03 shutdown or starting up, 57014 statement timeout.
const SQLSTATE_CLASSES = new Set(["08", "28", "53"]);
const SQLSTATE_CODES = new Set(["57P01", "57P02", "57P03", "57014"]);

// node-postgres reports its own timeouts and broken connections as plain Errors.
const CLIENT_MESSAGES = [
  "timeout exceeded when trying to connect",
  "Connection terminated",
  "Query read timeout",
  "is not queryable",
];

export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") {
    if (NETWORK_CODES.has(code) || SQLSTATE_CODES.has(code)) return true;
    if (code.length === 5 && SQLSTATE_CLASSES.has(code.slice(0, 2))) return true;
  }
  return CLIENT_MESSAGES.some((m) => error.message.includes(m));
}
