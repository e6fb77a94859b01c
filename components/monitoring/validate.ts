// Input checks shared by the generators. Each failure names the field and the offending value, so
// a wrong stack setting is found from the message alone.

/** Throws the generators' input error: `<field>: <expectation> (got <value>)`. */
export function invalid(field: string, value: unknown, expectation: string): never {
  throw new Error(`${field}: ${expectation} (got ${JSON.stringify(value)})`);
}

// Prometheus' duration syntax (units in descending order, each at most once), e.g. "1h30m", "15s".
const DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const UNIT_MS = [365 * 86_400_000, 7 * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1];

/** Milliseconds of a Prometheus duration; throws naming `field` when it is not one (or is zero). */
export function durationMs(field: string, value: string): number {
  const match = DURATION.exec(value);
  if (!match || value === "") invalid(field, value, 'expected a Prometheus duration such as "30s" or "5m"');
  const ms = UNIT_MS.reduce((sum, unit, i) => sum + unit * Number(match[i + 1] ?? 0), 0);
  if (ms === 0) invalid(field, value, "expected a duration above zero");
  return ms;
}

export function requireText(field: string, value: string): string {
  if (typeof value !== "string" || value.trim() === "") invalid(field, value, "expected a non-empty string");
  return value;
}

export function requirePort(field: string, value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > 65_535) {
    invalid(field, value, "expected a TCP port (integer 1-65535)");
  }
  return value;
}

const HOST_PORT = /^(?:\[[0-9a-fA-F:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?):(\d{1,5})$/;

/** A scrape target or Alertmanager address: `host:port` (IPv6 in brackets), no scheme or path. */
export function requireHostPort(field: string, value: string): string {
  const match = typeof value === "string" ? HOST_PORT.exec(value) : null;
  if (!match) invalid(field, value, 'expected "host:port" without scheme or path');
  requirePort(field, Number(match[1]));
  return value;
}

const HOSTNAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

export function requireHostname(field: string, value: string): string {
  if (typeof value !== "string" || !HOSTNAME.test(value)) invalid(field, value, "expected a DNS name");
  return value;
}

/** A number strictly between 0 and 1 (ratios, objectives). */
export function requireFraction(field: string, value: number): number {
  if (typeof value !== "number" || !(value > 0 && value < 1)) {
    invalid(field, value, "expected a number between 0 and 1 (exclusive)");
  }
  return value;
}

export function requirePositive(field: string, value: number): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    invalid(field, value, "expected a finite number above 0");
  }
  return value;
}

export function requireUrl(field: string, value: string, protocols: string[]): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || !protocols.includes(url.protocol)) {
    invalid(
      field,
      value,
      `expected a URL with scheme ${protocols.map((p) => p.replace(":", "")).join(" or ")}`,
    );
  }
  return value;
}

/** An absolute file path: where a secret is mounted (never the secret itself). */
export function requireAbsolutePath(field: string, value: string): string {
  if (typeof value !== "string" || !value.startsWith("/")) {
    invalid(field, value, "expected an absolute path of a file holding the secret");
  }
  return value;
}
