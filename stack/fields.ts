// Typed readers for stack configuration values. Every failure names the full key
// (`showcase-monitoring:app.maxCount`), says what is allowed and shows the value it got.
// Values may arrive typed (YAML numbers/booleans inside objects) or as strings (`pulumi config set`).

import type { TaskSize } from "showcase-monitoring";

export const NAMESPACE = "showcase-monitoring";

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

function fail(path: string, allowed: string, value: unknown): never {
  throw new ConfigError(`${NAMESPACE}:${path} must be ${allowed}, got ${JSON.stringify(value)}`);
}

/** A config object: the only place that knows which keys exist, so typos are caught. */
export class Section {
  private constructor(
    readonly path: string,
    private readonly values: Record<string, unknown>,
  ) {}

  /** Reads `value` as an object whose keys must all be in `known`. */
  static of(path: string, value: unknown, known: readonly string[]): Section {
    if (value === undefined) return new Section(path, {});
    const parsed = typeof value === "string" ? parseJson(path, value) : value;
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      fail(path, "an object", value);
    }
    const record = parsed as Record<string, unknown>;
    const unknown = Object.keys(record).filter((key) => !known.includes(key));
    if (unknown.length > 0) {
      throw new ConfigError(
        `${NAMESPACE}:${path} has unknown key(s) ${unknown.join(", ")}; allowed: ${known.join(", ")}`,
      );
    }
    return new Section(path, record);
  }

  key(name: string): string {
    return this.path === "" ? name : `${this.path}.${name}`;
  }

  raw(name: string): unknown {
    const value = this.values[name];
    return value === null || value === "" ? undefined : value;
  }

  has(name: string): boolean {
    return this.raw(name) !== undefined;
  }

  section(name: string, known: readonly string[]): Section {
    return Section.of(this.key(name), this.raw(name), known);
  }

  integer(name: string, fallback: number, range: { min: number; max: number; why?: string }): number {
    const value = this.raw(name) ?? fallback;
    const parsed = typeof value === "string" && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
    if (typeof parsed !== "number" || !Number.isInteger(parsed) || parsed < range.min || parsed > range.max) {
      const why = range.why === undefined ? "" : ` (${range.why})`;
      fail(this.key(name), `an integer between ${range.min} and ${range.max}${why}`, value);
    }
    return parsed;
  }

  /** A number in the open/closed interval described by `allowed`, checked by `accept`. */
  number(name: string, fallback: number, allowed: string, accept: (n: number) => boolean): number {
    const value = this.raw(name) ?? fallback;
    const parsed = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
    if (typeof parsed !== "number" || !Number.isFinite(parsed) || !accept(parsed)) {
      fail(this.key(name), allowed, value);
    }
    return parsed;
  }

  boolean(name: string, fallback: boolean): boolean {
    const value = this.raw(name) ?? fallback;
    if (value === true || value === "true") return true;
    if (value === false || value === "false") return false;
    return fail(this.key(name), "true or false", value);
  }

  oneOf<T extends string>(name: string, fallback: T, choices: readonly T[]): T {
    const value = this.raw(name) ?? fallback;
    if (typeof value !== "string" || !(choices as readonly string[]).includes(value)) {
      fail(this.key(name), `one of ${choices.join(", ")}`, value);
    }
    return value as T;
  }

  /** A string matching `pattern`; `allowed` describes the pattern to a human. */
  string(name: string, fallback: string | undefined, pattern: RegExp, allowed: string): string {
    const value = this.optionalString(name, pattern, allowed) ?? fallback;
    if (value === undefined) fail(this.key(name), `set: ${allowed}`, value ?? null);
    return value;
  }

  optionalString(name: string, pattern: RegExp, allowed: string): string | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    if (typeof value !== "string" || !pattern.test(value)) fail(this.key(name), allowed, value);
    return value;
  }

  /** A list of strings each matching `pattern` (a YAML/JSON list). */
  strings(name: string, fallback: readonly string[], pattern: RegExp, allowed: string): string[] {
    const value = this.raw(name) ?? fallback;
    const parsed = typeof value === "string" ? parseJson(this.key(name), value) : value;
    if (!Array.isArray(parsed)) fail(this.key(name), `a list of ${allowed}`, value);
    return parsed.map((item: unknown, index) => {
      if (typeof item !== "string" || !pattern.test(item)) fail(`${this.key(name)}[${index}]`, allowed, item);
      return item;
    });
  }

  /** A map of string to string (e.g. extra tags). */
  stringMap(name: string): Record<string, string> {
    const value = this.raw(name);
    if (value === undefined) return {};
    const parsed = typeof value === "string" ? parseJson(this.key(name), value) : value;
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      fail(this.key(name), "a map of strings", value);
    }
    for (const [key, item] of Object.entries(parsed)) {
      if (typeof item !== "string") fail(`${this.key(name)}.${key}`, "a string", item);
    }
    return parsed as Record<string, string>;
  }
}

function parseJson(path: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return fail(path, "valid JSON/YAML structured config", text);
  }
}

// Shared patterns.
const octet = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
export const CIDR = new RegExp(`^${octet}(\\.${octet}){3}/(3[0-2]|[12]?\\d)$`);
export const CIDR_TEXT = "an IPv4 CIDR such as 10.0.0.0/16";
export const DURATION = /^(\d+(ms|s|m|h|d|w|y))+$/;
export const DURATION_TEXT = "a Prometheus duration such as 30s, 5m, 15d";
export const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const HTTPS_URL = /^https:\/\/[^\s]+$/;

/** Valid Fargate CPU units and, per CPU, the allowed memory in MiB. */
const FARGATE_MEMORY: Record<number, { min: number; max: number; step: number; extra?: number[] }> = {
  256: { min: 1024, max: 2048, step: 1024, extra: [512] },
  512: { min: 1024, max: 4096, step: 1024 },
  1024: { min: 2048, max: 8192, step: 1024 },
  2048: { min: 4096, max: 16384, step: 1024 },
  4096: { min: 8192, max: 30720, step: 1024 },
};

/** Reads `cpu` and `memory` of a section and checks they form a Fargate task size. */
export function taskSize(section: Section, fallback: TaskSize): TaskSize {
  const cpuChoices = Object.keys(FARGATE_MEMORY).map(Number);
  const cpu = section.number("cpu", fallback.cpu, `one of ${cpuChoices.join(", ")}`, (n) =>
    cpuChoices.includes(n),
  );
  const rule = FARGATE_MEMORY[cpu];
  if (rule === undefined) throw new ConfigError(`unreachable: cpu ${cpu}`);
  const memories = [...(rule.extra ?? [])];
  for (let m = rule.min; m <= rule.max; m += rule.step) memories.push(m);
  const memory = section.number(
    "memory",
    fallback.memory,
    `a Fargate memory size for cpu ${cpu} (MiB): ${memories[0]}..${rule.max} (${memories.join(", ")})`,
    (n) => memories.includes(n),
  );
  return { cpu, memory };
}

/** Bytes of a Prometheus size string such as `8GB` (base 1024, as Prometheus reads it). */
export function sizeInBytes(size: string): number {
  const match = /^(\d+)(B|KB|MB|GB|TB|PB)$/.exec(size);
  if (match === null) return Number.NaN;
  const power = ["B", "KB", "MB", "GB", "TB", "PB"].indexOf(match[2] ?? "");
  return Number(match[1]) * 1024 ** power;
}
