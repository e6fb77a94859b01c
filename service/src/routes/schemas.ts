// JSON schemas of the projects API: requests are validated against them, responses serialised
// by them (so nothing outside the schema can leak into an answer).
const name = { type: "string", minLength: 1, maxLength: 200, pgText: true } as const;
const description = { type: "string", maxLength: 5000, pgText: true } as const;
const url = { type: "string", maxLength: 2048, format: "http-url", pgText: true } as const;
const tags = {
  type: "array",
  maxItems: 20,
  uniqueItems: true,
  items: { type: "string", minLength: 1, maxLength: 50, pgText: true },
} as const;

export const createProjectBody = {
  type: "object",
  additionalProperties: false,
  required: ["name"],
  properties: { name, description, url, tags },
} as const;

/** Partial update: any subset of the fields, at least one; `url: null` removes the URL. */
export const updateProjectBody = {
  type: "object",
  additionalProperties: false,
  minProperties: 1,
  properties: { name, description, url: { ...url, type: ["string", "null"] }, tags },
} as const;

export const projectParams = {
  type: "object",
  additionalProperties: false,
  required: ["id"],
  properties: { id: { type: "string", format: "uuid" } },
} as const;

const MAX_OFFSET = 1_000_000;

export const listQuery = {
  type: "object",
  additionalProperties: false,
  properties: {
    limit: { type: "integer", minimum: 1, maximum: 100, default: 20 },
    offset: { type: "integer", minimum: 0, maximum: MAX_OFFSET, default: 0 },
  },
} as const;

export const project = {
  type: "object",
  required: ["id", "name", "description", "url", "tags", "createdAt", "updatedAt"],
  properties: {
    id: { type: "string" },
    name: { type: "string" },
    description: { type: "string" },
    url: { type: ["string", "null"] },
    tags: { type: "array", items: { type: "string" } },
    createdAt: { type: "string" },
    updatedAt: { type: "string" },
  },
} as const;

export const projectList = {
  type: "object",
  required: ["items", "limit", "offset"],
  properties: {
    items: { type: "array", items: project },
    limit: { type: "integer" },
    offset: { type: "integer" },
  },
} as const;

export const errorResponse = {
  type: "object",
  required: ["error", "message"],
  properties: { error: { type: "string" }, message: { type: "string" }, field: { type: "string" } },
} as const;
