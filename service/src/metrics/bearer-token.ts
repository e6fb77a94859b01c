// The credential /metrics requires: a bearer token (RFC 6750), as Prometheus sends it from
// `authorization: {credentials_file}`. The file holds one accepted token per line, so a rotation
// can accept the old and the new token for a while. Tokens are compared in constant time, and
// never logged or echoed.
import { createHash, timingSafeEqual } from "node:crypto";
import { readTextFile } from "../named-file";

const VARIABLE = "METRICS_BEARER_TOKEN_FILE";
/** RFC 6750's b64token: what fits in an Authorization header unchanged. */
const TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
const MIN_LENGTH = 32;

export type BearerCheck = (authorization: string | undefined) => "ok" | "missing" | "invalid";

/** The accepted tokens of the file, or undefined with a problem (never showing a token). */
export function readBearerTokens(path: string, problems: string[]): string[] | undefined {
  const text = readTextFile(VARIABLE, path, problems);
  if (text === undefined) return undefined;
  // Prometheus trims the whitespace around the file's content before it sends it.
  const lines = text
    .split("\n")
    .map((token, index) => ({ token: token.trim(), line: index + 1 }))
    .filter(({ token }) => token !== "");
  if (lines.length === 0) {
    problems.push(`${VARIABLE} (${path}) is empty: it must hold a token`);
    return undefined;
  }
  const bad = lines.find(({ token }) => !TOKEN.test(token) || token.length < MIN_LENGTH);
  if (bad !== undefined) {
    problems.push(
      `${VARIABLE} (${path}): the token on line ${bad.line} must be at least ${MIN_LENGTH} characters ` +
        "of A-Z a-z 0-9 - . _ ~ + / (e.g. `openssl rand -hex 32`); not shown",
    );
    return undefined;
  }
  return lines.map(({ token }) => token);
}

const digest = (text: string) => createHash("sha256").update(text).digest();

export function createBearerCheck(tokens: string[]): BearerCheck {
  // Equal-length digests: the comparison takes the same time whatever the length of a guess.
  const accepted = tokens.map(digest);
  return (authorization) => {
    const match = authorization === undefined ? null : /^Bearer +(\S+) *$/i.exec(authorization);
    if (match === null) return authorization === undefined ? "missing" : "invalid";
    const given = digest(match[1]!);
    // Every accepted token is compared: which one matched, or whether any did, takes no longer.
    let ok = false;
    for (const token of accepted) ok = timingSafeEqual(token, given) || ok;
    return ok ? "ok" : "invalid";
  };
}
