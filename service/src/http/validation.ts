// Request validation: two Ajv instances because the parts of a request differ. A JSON body has
// types, so nothing is coerced and a "5" where a number belongs is an error; a query string has
// only text, so its numbers are converted, strictly ("5x" is still an error). Neither drops
// unknown fields: schemas say additionalProperties: false, and Ajv reports them.
import Ajv, { type Options } from "ajv";
import type { FastifySchemaCompiler } from "fastify";

// Ajv's "uuid" also accepts a urn:uuid: prefix, which PostgreSQL's uuid type refuses.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isHttpUrl(value: string): boolean {
  if (!/^https?:\/\//i.test(value) || value.includes("\u0000")) return false;
  try {
    return new URL(value).hostname !== "";
  } catch {
    return false;
  }
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
  // PostgreSQL text cannot hold NUL: refuse it here rather than fail in the database.
  ajv.addKeyword({
    keyword: "noNul",
    type: "string",
    schemaType: "boolean",
    error: { message: "must not contain NUL characters (\\u0000)" },
    validate: (enabled: boolean, data: string) => !enabled || !data.includes("\u0000"),
  });
  return ajv;
}

export function createValidatorCompiler(): FastifySchemaCompiler<unknown> {
  const strict = createAjv({ coerceTypes: false });
  const coercing = createAjv({ coerceTypes: true });
  return ({ schema, httpPart }) => (httpPart === "body" ? strict : coercing).compile(schema as object);
}
