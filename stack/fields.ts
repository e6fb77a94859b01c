// How the stack schema reads Pulumi config: the wrappers that turn a value schema of the package
// into a stack setting, and the one error every failure becomes. Pulumi hands the program text
// (`pulumi config set --path app.maxCount 2` stores "2"; objects arrive as JSON text), while
// values inside YAML objects arrive typed: a setting takes both, as its value schema expects.
import { z } from "showcase-monitoring/schema";

export const NAMESPACE = "showcase-monitoring";

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/** What the docs show of a setting besides its value schema's `allowed`. */
export interface SettingMeta {
  /** What the setting means. */
  description: string;
  /** The default when it is not a plain value (e.g. depends on another setting). */
  defaultText?: string;
}

/** A schema's definition, with the fields of its wrappers (default, optional, pipe). */
export function defOf(schema: z.ZodType) {
  return schema.def as z.core.$ZodTypeDef & {
    innerType?: z.ZodType;
    in?: z.ZodType;
    out?: z.ZodType;
    defaultValue?: unknown;
  };
}

/** The zod type under a schema's wrappers (default, optional, pipes from preprocessing). */
export function baseType(schema: z.ZodType): string {
  const def = defOf(schema);
  if (def.innerType !== undefined) return baseType(def.innerType);
  if (def.type === "pipe" && def.in !== undefined && def.out !== undefined)
    return baseType(def.in.def.type === "transform" ? def.out : def.in);
  return def.type;
}

/** `value` as a schema of `type` expects it: text becomes a number, boolean, list or object. */
function fromConfig(type: string, value: unknown): unknown {
  if (value === null || value === "") return undefined;
  if (typeof value !== "string") return value;
  const text = value.trim();
  if (type === "number") return text !== "" && Number.isFinite(Number(text)) ? Number(text) : value;
  if (type === "boolean") return text === "true" ? true : text === "false" ? false : value;
  if (type === "object" || type === "array" || type === "record") {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return value;
    }
  }
  return value;
}

function read<T extends z.ZodType>(schema: T, meta: SettingMeta) {
  const type = baseType(schema);
  return z.preprocess((value) => fromConfig(type, value), schema).meta({ ...meta });
}

/** Stack settings: a value schema of the package, read from Pulumi config. */
export const setting = {
  required: <T extends z.ZodType>(schema: T, meta: SettingMeta) => read(schema, meta),
  optional: <T extends z.ZodType>(schema: T, meta: SettingMeta) => read(schema.optional(), meta),
  withDefault: <T extends z.ZodType>(
    schema: T,
    fallback: z.util.NoUndefined<z.output<T>>,
    meta: SettingMeta,
  ) => read(schema.default(fallback), meta),
  /** A group of settings: absent means every field takes its default. */
  section: <T extends z.ZodType>(schema: T, meta: SettingMeta) => read(schema.prefault({} as never), meta),
};

/** An object of settings whose keys are all known (a typo is an error listing the allowed keys). */
export function fields<S extends z.ZodRawShape>(shape: S) {
  const known = Object.keys(shape).join(", ");
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? `has unknown key(s) ${issue.keys.join(", ")}; allowed: ${known}`
        : "expected an object (YAML, or JSON text with `pulumi config set`)",
  });
}

/** Cross-field rules run only on fields that passed their own schemas. */
export const WHEN_FIELDS_VALID = {
  when: (payload: z.core.ParsePayload) => payload.issues.length === 0,
};

/**
 * Reports a cross-field problem at `path` (relative to the object checked): with `input`, shown as
 * `<key> <message>, got <input>`; without, as `<key> <message>`.
 */
export function addProblem(
  ctx: z.RefinementCtx,
  path: PropertyKey[],
  message: string,
  ...input: [unknown] | []
): void {
  ctx.addIssue(
    input.length === 0
      ? { code: "custom", message, path, params: { plain: true } }
      : { code: "custom", message, path, input: input[0] },
  );
}

/** `app.allowedCidrs[0]` from a zod path. */
export function keyOf(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) =>
      typeof part === "number" ? `[${part}]` : `${index === 0 ? "" : "."}${String(part)}`,
    )
    .join("");
}

/** One line per problem: `showcase-monitoring:<key> <expected ...>, got <value>`. */
export function describeIssue(issue: z.core.$ZodIssue): string {
  const key = keyOf(issue.path);
  if (issue.code === "unrecognized_keys" && key === "") {
    const keys = issue.keys.map((k) => `${NAMESPACE}:${k}`).join(", ");
    return `unknown configuration key(s) ${keys}; see docs/stack-configuration.md`;
  }
  const where = `${NAMESPACE}:${key}`;
  if (issue.code === "unrecognized_keys" || (issue.code === "custom" && issue.params?.["plain"] === true))
    return `${where} ${issue.message}`;
  if (!("input" in issue) || issue.input === undefined) return `${where} is required: ${issue.message}`;
  return `${where} ${issue.message}, got ${JSON.stringify(issue.input)}`;
}
