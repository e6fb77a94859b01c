// Request validation: two Ajv instances because the parts of a request differ. A JSON body has
// types, so nothing is coerced and a "5" where a number belongs is an error; a query string has
// only text, so its numbers are converted, strictly ("5x" is still an error). Neither drops
// unknown fields: schemas say additionalProperties: false, and Ajv reports them.
import Ajv, { type Options, type SchemaValidateFunction, type ValidateFunction } from "ajv";
import type { FastifySchemaCompiler } from "fastify";

// Ajv's "uuid" also accepts a urn:uuid: prefix, which PostgreSQL's uuid type refuses.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// A UTF-16 surrogate that is not half of a pair: in `u` mode a pair is one code point, not a match.
const UNPAIRED_SURROGATE = /\p{Cs}/u;

function isHttpUrl(value: string): boolean {
  if (!/^https?:\/\//i.test(value) || value.includes("\u0000")) return false;
  try {
    return new URL(value).hostname !== "";
  } catch {
    return false;
  }
}

/** Why PostgreSQL would not store `value` exactly as sent, or undefined when it would. */
function textProblem(value: string): string | undefined {
  // text cannot hold NUL: PostgreSQL refuses it.
  if (value.includes("\u0000")) return "must not contain NUL characters (\\u0000)";
  // UTF-8 has no encoding for it: pg would send U+FFFD and the stored value would differ.
  if (UNPAIRED_SURROGATE.test(value)) return "must not contain unpaired UTF-16 surrogates";
  return undefined;
}

function createAjv(options: Options): Ajv {
  const ajv = new Ajv({
    allErrors: false,
    removeAdditional: false,
    useDefaults: true,
    allowUnionTypes: true,
    ...options,
  });
  ajv.addFormat("uuid", UUID);
  ajv.addFormat("http-url", { type: "string", validate: isHttpUrl });
  // Every string that reaches a text column: refused here rather than refused, or changed, there.
  // (Lengths need no keyword of their own: Ajv's maxLength counts code points, like char_length.)
  const pgText: SchemaValidateFunction = (enabled: boolean, data: string) => {
    const problem = enabled ? textProblem(data) : undefined;
    pgText.errors = problem === undefined ? undefined : [{ keyword: "pgText", message: problem, params: {} }];
    return problem === undefined;
  };
  ajv.addKeyword({
    keyword: "pgText",
    type: "string",
    schemaType: "boolean",
    errors: true,
    validate: pgText,
  });
  return ajv;
}

/** The first non-finite number in `data`, as an instance path ("/limit"), or undefined. */
function nonFinitePath(data: unknown, path = ""): string | undefined {
  if (typeof data === "number") return Number.isFinite(data) ? undefined : path;
  if (typeof data !== "object" || data === null) return undefined;
  for (const [key, value] of Object.entries(data)) {
    const found = nonFinitePath(value, `${path}/${key}`);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * Ajv coerces "Infinity", "-Infinity" and "1e400" to non-finite numbers and then skips minimum and
 * maximum for them (ajv issue 2212, fastify issue 6718): PostgreSQL would refuse them as LIMIT or
 * OFFSET. A coerced part is plain text, so a non-finite number in it can only come from there.
 */
function rejectNonFinite(validate: ValidateFunction): ValidateFunction {
  const checked = ((data: unknown, context?: Parameters<ValidateFunction>[1]) => {
    if (!validate(data, context)) {
      checked.errors = validate.errors;
      return false;
    }
    const path = nonFinitePath(data);
    checked.errors =
      path === undefined
        ? null
        : [
            {
              instancePath: path,
              schemaPath: "#",
              keyword: "finite",
              params: {},
              message: "must be a finite number",
            },
          ];
    return path === undefined;
  }) as ValidateFunction;
  // Fastify passes the parent to validators with a schemaEnv, so coercion can replace a root value.
  return Object.assign(checked, { schemaEnv: validate.schemaEnv, schema: validate.schema });
}

export function createValidatorCompiler(): FastifySchemaCompiler<unknown> {
  const strict = createAjv({ coerceTypes: false });
  const coercing = createAjv({ coerceTypes: true });
  return ({ schema, httpPart }) =>
    httpPart === "body"
      ? strict.compile(schema as object)
      : rejectNonFinite(coercing.compile(schema as object));
}
