// Input checks shared by the generators, built on the package's value schemas (schema.ts). Each
// failure names the field and the offending value, so a wrong stack setting is found from the
// message alone.
import { check, parseDurationMs, schemas } from "./schema";

/** Throws the generators' input error: `<field>: <expectation> (got <value>)`. */
export function invalid(field: string, value: unknown, expectation: string): never {
  throw new Error(`${field}: ${expectation} (got ${JSON.stringify(value)})`);
}

/** Milliseconds of a Prometheus duration; throws naming `field` when it is not one (or is zero). */
export function durationMs(field: string, value: string): number {
  check(schemas.duration, field, value);
  return parseDurationMs(value) ?? 0;
}

export function requireText(field: string, value: string): string {
  check(schemas.text, field, value);
  return value;
}

export function requirePort(field: string, value: number): number {
  return check(schemas.port, field, value);
}

/** A scrape target or Alertmanager address: `host:port` (IPv6 in brackets), no scheme or path. */
export function requireHostPort(field: string, value: string): string {
  return check(schemas.hostPort, field, value);
}

export function requireHostname(field: string, value: string): string {
  return check(schemas.hostname, field, value);
}

/** A number strictly between 0 and 1 (ratios, objectives). */
export function requireFraction(field: string, value: number): number {
  return check(schemas.fraction, field, value);
}

export function requirePositive(field: string, value: number): number {
  return check(schemas.positive, field, value);
}

export function requireUrl(field: string, value: string, protocols: string[]): string {
  return check(schemas.urlWith(protocols), field, value);
}

/** An absolute file path: where a secret is mounted (never the secret itself). */
export function requireAbsolutePath(field: string, value: string): string {
  return check(schemas.absolutePath, field, value);
}
