// Which database failures mean "the database is unavailable" (answer 503, try again later) as
// opposed to a bug (500). Connection failures, timeouts, shutdowns and refused logins all qualify,
// and so does a TLS connection that cannot be trusted (wrong CA, wrong host name, expired): the
// task cannot reach its database, as far as anyone can act on it.

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

// Node's certificate verification failures (OpenSSL's X509 error names, tls.md), its host-name check,
// and OpenSSL's handshake errors (ERR_SSL_*).
const TLS_CODES = new Set([
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY",
  "CERT_SIGNATURE_FAILURE",
  "CERT_NOT_YET_VALID",
  "CERT_HAS_EXPIRED",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "CERT_CHAIN_TOO_LONG",
  "CERT_REVOKED",
  "INVALID_CA",
  "PATH_LENGTH_EXCEEDED",
  "INVALID_PURPOSE",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
  "HOSTNAME_MISMATCH",
  "ERR_TLS_CERT_ALTNAME_INVALID",
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
  // DATABASE_SSL asks for TLS and the server has it off.
  "The server does not support SSL connections",
];

export function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") {
    if (NETWORK_CODES.has(code) || SQLSTATE_CODES.has(code) || TLS_CODES.has(code)) return true;
    if (code.startsWith("ERR_SSL_")) return true;
    if (code.length === 5 && SQLSTATE_CLASSES.has(code.slice(0, 2))) return true;
  }
  return CLIENT_MESSAGES.some((m) => error.message.includes(m));
}
