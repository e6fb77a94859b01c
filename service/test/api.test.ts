// The projects API and every validation rule, against a real database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BODY_LIMIT_BYTES } from "../src/app";
import { freshDatabase, withClient } from "./support/database";
import { LogCapture, startTestApp, testConfig, type TestApp } from "./support/app";

let app: TestApp;
let databaseUrl: string;

beforeAll(async () => {
  databaseUrl = await freshDatabase("api");
  app = await startTestApp(testConfig(databaseUrl));
});
afterAll(() => app.close());

/** A request with a body as sent on the wire (undefined: none), JSON unless said otherwise. */
const send = (method: "POST" | "PATCH", url: string, body: string | undefined, type = "application/json") =>
  app.api.inject({ method, url, payload: body, headers: { "content-type": type } });
const json = (method: "POST" | "PATCH", url: string, payload: unknown) =>
  send(method, url, JSON.stringify(payload));
const create = (payload: unknown) => json("POST", "/api/projects", payload);

async function created(payload: Record<string, unknown> = { name: "p" }): Promise<Record<string, unknown>> {
  const response = await create(payload);
  expect(response.statusCode).toBe(201);
  return response.json();
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const MISSING_ID = "7d1f7c3e-4d2a-4b8e-9f00-000000000000";

describe("projects API", () => {
  it("creates a project with every field and answers 201 with a Location", async () => {
    const response = await create({
      name: "Showcase",
      description: "An instrumented API",
      url: "https://example.com/showcase?x=1",
      tags: ["fastify", "prometheus"],
    });
    expect(response.statusCode).toBe(201);
    const body = response.json<Record<string, string>>();
    expect(body).toMatchObject({
      name: "Showcase",
      description: "An instrumented API",
      url: "https://example.com/showcase?x=1",
      tags: ["fastify", "prometheus"],
    });
    expect(body.id).toMatch(UUID);
    expect(response.headers.location).toBe(`/api/projects/${body.id}`);
    expect(Date.parse(body.createdAt!)).toBeGreaterThan(Date.now() - 60_000);
    expect(body.updatedAt).toBe(body.createdAt);
  });

  it("fills the optional fields with empty values", async () => {
    const body = await created({ name: "minimal" });
    expect(body).toMatchObject({ name: "minimal", description: "", url: null, tags: [] });
  });

  it("gets a project by id, and 404 for an unknown id", async () => {
    const project = await created({ name: "get me", tags: ["a"] });
    const found = await app.api.inject(`/api/projects/${String(project.id)}`);
    expect(found.statusCode).toBe(200);
    expect(found.json()).toEqual(project);
    const missing = await app.api.inject(`/api/projects/${MISSING_ID}`);
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: "Not Found", message: `project ${MISSING_ID} not found` });
  });

  it("updates only the given fields, clears the URL with null, and moves updatedAt", async () => {
    const project = await created({
      name: "before",
      description: "kept",
      url: "http://a.example",
      tags: ["x"],
    });
    const response = await json("PATCH", `/api/projects/${String(project.id)}`, { name: "after", url: null });
    expect(response.statusCode).toBe(200);
    const updated = response.json<Record<string, string>>();
    expect(updated).toMatchObject({
      id: project.id,
      name: "after",
      description: "kept",
      url: null,
      tags: ["x"],
    });
    expect(Date.parse(updated.updatedAt!)).toBeGreaterThan(Date.parse(String(project.updatedAt)));
    const again = await app.api.inject(`/api/projects/${String(project.id)}`);
    expect(again.json()).toEqual(updated);
    expect((await json("PATCH", `/api/projects/${MISSING_ID}`, { name: "x" })).statusCode).toBe(404);
  });

  it("deletes a project: 204, then 404", async () => {
    const project = await created();
    const url = `/api/projects/${String(project.id)}`;
    const first = await app.api.inject({ method: "DELETE", url });
    expect(first.statusCode).toBe(204);
    expect(first.body).toBe("");
    expect((await app.api.inject({ method: "DELETE", url })).statusCode).toBe(404);
    expect((await app.api.inject(url)).statusCode).toBe(404);
  });

  it("lists newest first, with limit and offset", async () => {
    const names = ["l1", "l2", "l3", "l4", "l5"];
    for (const name of names) await created({ name, tags: ["list"] });
    const page = await app.api.inject("/api/projects?limit=2&offset=1");
    expect(page.statusCode).toBe(200);
    const body = page.json<{ items: { name: string }[]; limit: number; offset: number }>();
    expect(body.limit).toBe(2);
    expect(body.offset).toBe(1);
    expect(body.items.map((p) => p.name)).toEqual(["l4", "l3"]);
    const all = await app.api.inject("/api/projects");
    expect(all.json<{ limit: number; offset: number }>()).toMatchObject({ limit: 20, offset: 0 });
    const beyond = await app.api.inject("/api/projects?offset=1000000");
    expect(beyond.json()).toEqual({ items: [], limit: 20, offset: 1_000_000 });
  });

  it("accepts the limits' boundary values", async () => {
    const body = await created({
      name: "n".repeat(200),
      description: "d".repeat(5000),
      tags: Array.from({ length: 20 }, (_, i) => `${i}`.padEnd(50, "t")),
    });
    expect(String(body.name)).toHaveLength(200);
    expect((await app.api.inject("/api/projects?limit=100")).statusCode).toBe(200);
    expect((await app.api.inject("/api/projects?limit=1")).statusCode).toBe(200);
  });
});

describe("what reaches the database is what it stores, exactly", () => {
  it("counts lengths in characters, as char_length does: 200 astral characters are a valid name", async () => {
    const name = "\u{1F600}".repeat(200); // 400 UTF-16 code units
    const body = await created({ name, tags: ["\u{1F680}".repeat(50)] });
    expect(body.name).toBe(name);
    const stored = await withClient(databaseUrl, (client) =>
      client.query<{ n: number }>("SELECT char_length(name) AS n FROM projects WHERE id = $1", [body.id]),
    );
    expect(stored.rows[0]?.n).toBe(200);
  });

  // Values that PostgreSQL refuses, changes, or counts differently, in every field of every route.
  const hostileText = [
    "\u0000",
    "a\u0000",
    "\ud800",
    "\udfff",
    "a\ud83d",
    "\udc00\ud800",
    "\u{1F600}",
    "\u{1F600}".repeat(51),
    "\uffff\ufeff\u202e",
    "'; DROP TABLE projects; --",
    "%00",
  ];
  const hostileNumbers = [
    "Infinity",
    "-Infinity",
    "1e400",
    "-1e400",
    "NaN",
    "-0",
    "1e-400",
    "0x10",
    "9".repeat(400),
    " ",
    "",
  ];

  it("answers every hostile body value with 201/200 and the stored value, or a 400, never a 5xx", async () => {
    const target = await created({ name: "target" });
    const fields = {
      name: (v: string) => v,
      description: (v: string) => v,
      url: (v: string) => `https://example.com/${v}`,
      tags: (v: string) => [v],
    };
    for (const [field, wrap] of Object.entries(fields)) {
      for (const text of hostileText) {
        const value = wrap(text);
        for (const [method, url, payload] of [
          ["POST", "/api/projects", { name: "n", [field]: value }],
          ["PATCH", `/api/projects/${String(target.id)}`, { [field]: value }],
        ] as const) {
          const response = await json(method, url, payload);
          const context = `${method} ${field}=${JSON.stringify(value)}`;
          expect([200, 201, 400], context).toContain(response.statusCode);
          if (response.statusCode === 400) {
            expect(response.json<{ field?: string }>().field, context).toMatch(new RegExp(`^${field}`));
            continue;
          }
          const acknowledged = response.json<Record<string, unknown>>();
          expect(acknowledged[field], context).toEqual(value);
          const stored = await app.api.inject(`/api/projects/${String(acknowledged.id)}`);
          expect(stored.json<Record<string, unknown>>()[field], context).toEqual(value);
        }
      }
    }
  });

  it("answers every hostile limit, offset and id with 200/404 or a 400 naming it, never a 5xx", async () => {
    for (const field of ["limit", "offset"]) {
      for (const text of hostileNumbers) {
        const response = await app.api.inject(`/api/projects?${field}=${encodeURIComponent(text)}`);
        expect([200, 400], `${field}=${text}`).toContain(response.statusCode);
        if (response.statusCode === 400) expect(response.json()).toMatchObject({ field });
      }
    }
    // As sent on the wire: invalid UTF-8 (a lone surrogate, an overlong NUL, 0xFF) and NUL.
    const encodedIds = ["%ED%A0%80", "%C0%80", "%FF", "%00", ...hostileNumbers.map(encodeURIComponent)];
    for (const id of encodedIds) {
      for (const method of ["GET", "PATCH", "DELETE"] as const) {
        const response = await app.api.inject({
          method,
          url: `/api/projects/${id}`,
          ...(method === "PATCH" && { payload: { name: "x" } }),
        });
        // 400 (not a UUID), 404 (no such route), 414 (longer than a path parameter may be).
        expect([400, 404, 414], `${method} id=${id}`).toContain(response.statusCode);
      }
    }
  });
});

describe("bad input gets a 4xx that names the problem", () => {
  it.each([
    ["a missing name", {}, "body/name is required", "name"],
    ["an empty name", { name: "" }, "body/name must NOT have fewer than 1 characters", "name"],
    [
      "a name of 201 characters",
      { name: "n".repeat(201) },
      "body/name must NOT have more than 200 characters",
      "name",
    ],
    ["a number as name (no coercion)", { name: 5 }, "body/name must be string", "name"],
    [
      "a NUL in the name",
      { name: "a\u0000b" },
      "body/name must not contain NUL characters (\\u0000)",
      "name",
    ],
    [
      "an unpaired high surrogate in the name",
      { name: "a\ud800b" },
      "body/name must not contain unpaired UTF-16 surrogates",
      "name",
    ],
    [
      "an unpaired low surrogate in the description",
      { name: "x", description: "\udc00" },
      "body/description must not contain unpaired UTF-16 surrogates",
      "description",
    ],
    [
      "an unpaired surrogate in the URL",
      { name: "x", url: "https://example.com/\ud800" },
      "body/url must not contain unpaired UTF-16 surrogates",
      "url",
    ],
    [
      "two different unpaired surrogates as tags",
      { name: "x", tags: ["\ud800", "\ud801"] },
      "body/tags/0 must not contain unpaired UTF-16 surrogates",
      "tags/0",
    ],
    [
      "201 characters outside the BMP as name",
      { name: "\u{1F600}".repeat(201) },
      "body/name must NOT have more than 200 characters",
      "name",
    ],
    [
      "a description of 5001 characters",
      { name: "x", description: "d".repeat(5001) },
      "body/description must NOT have more than 5000 characters",
      "description",
    ],
    [
      "a null description",
      { name: "x", description: null },
      "body/description must be string",
      "description",
    ],
    [
      "an ftp URL",
      { name: "x", url: "ftp://example.com" },
      "body/url must be an http:// or https:// URL",
      "url",
    ],
    [
      "a URL without host",
      { name: "x", url: "http://" },
      "body/url must be an http:// or https:// URL",
      "url",
    ],
    ["a relative URL", { name: "x", url: "/a/b" }, "body/url must be an http:// or https:// URL", "url"],
    ["a null URL on create", { name: "x", url: null }, "body/url must be string", "url"],
    ["tags as a string", { name: "x", tags: "a,b" }, "body/tags must be array", "tags"],
    [
      "21 tags",
      { name: "x", tags: Array.from({ length: 21 }, (_, i) => `t${i}`) },
      "body/tags must NOT have more than 20 items",
      "tags",
    ],
    [
      "a tag of 51 characters",
      { name: "x", tags: ["ok", "t".repeat(51)] },
      "body/tags/1 must NOT have more than 50 characters",
      "tags/1",
    ],
    [
      "an empty tag",
      { name: "x", tags: [""] },
      "body/tags/0 must NOT have fewer than 1 characters",
      "tags/0",
    ],
    ["a number as tag", { name: "x", tags: [1] }, "body/tags/0 must be string", "tags/0"],
    [
      "duplicate tags",
      { name: "x", tags: ["a", "a"] },
      "body/tags must NOT have duplicate items (items ## 1 and 0 are identical)",
      "tags",
    ],
    ["an unknown field", { name: "x", owner: "me" }, "body/owner is not an allowed field", "owner"],
    ["an id in the body", { name: "x", id: MISSING_ID }, "body/id is not an allowed field", "id"],
  ])("create with %s", async (_case, payload, message, field) => {
    const response = await create(payload);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: "Bad Request", message, field });
  });

  it("a body that is not an object", async () => {
    const response = await create(["name"]);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: "Bad Request", message: "body must be object" });
  });

  it.each([
    ["an empty update", {}, "body must NOT have fewer than 1 properties", undefined],
    ["an unknown field", { colour: "red" }, "body/colour is not an allowed field", "colour"],
    ["a boolean as name", { name: true }, "body/name must be string", "name"],
    ["a bad URL", { url: "javascript:alert(1)" }, "body/url must be an http:// or https:// URL", "url"],
  ])("update with %s", async (_case, payload, message, field) => {
    const project = await created();
    const response = await json("PATCH", `/api/projects/${String(project.id)}`, payload);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: "Bad Request", message, ...(field && { field }) });
  });

  it.each([
    ["limit=0", "querystring/limit must be >= 1", "limit"],
    ["limit=101", "querystring/limit must be <= 100", "limit"],
    ["limit=ten", "querystring/limit must be integer", "limit"],
    ["limit=1.5", "querystring/limit must be integer", "limit"],
    ["limit=5x", "querystring/limit must be integer", "limit"],
    ["limit=1&limit=2", "querystring/limit must be integer", "limit"],
    ["limit=Infinity", "querystring/limit must be a finite number", "limit"],
    ["limit=-Infinity", "querystring/limit must be a finite number", "limit"],
    ["limit=1e400", "querystring/limit must be a finite number", "limit"],
    ["offset=Infinity", "querystring/offset must be a finite number", "offset"],
    ["offset=-Infinity", "querystring/offset must be a finite number", "offset"],
    ["offset=1e400", "querystring/offset must be a finite number", "offset"],
    ["offset=-1", "querystring/offset must be >= 0", "offset"],
    ["offset=1000001", "querystring/offset must be <= 1000000", "offset"],
    ["page=2", "querystring/page is not an allowed field", "page"],
  ])("list with %s", async (query, message, field) => {
    const response = await app.api.inject(`/api/projects?${query}`);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: "Bad Request", message, field });
  });

  it.each(["abc", "123", `${MISSING_ID}0`, `urn:uuid:${MISSING_ID}`, "7d1f7c3e4d2a4b8e9f00000000000000"])(
    "a bad UUID %s in the path",
    async (id) => {
      for (const method of ["GET", "PATCH", "DELETE"] as const) {
        const response = await app.api.inject({
          method,
          url: `/api/projects/${encodeURIComponent(id)}`,
          ...(method === "PATCH" && { payload: { name: "x" } }),
        });
        expect(response.statusCode).toBe(400);
        expect(response.json()).toEqual({
          error: "Bad Request",
          message: "params/id must be a UUID",
          field: "id",
        });
      }
    },
  );

  it("malformed JSON: 400", async () => {
    const response = await send("POST", "/api/projects", '{"name": "x",');
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: "Bad Request",
      message: "Body is not valid JSON but content-type is set to 'application/json'",
    });
  });

  it("an empty JSON body: 400", async () => {
    const response = await send("POST", "/api/projects", undefined);
    expect(response.statusCode).toBe(400);
    expect(response.json<{ message: string }>().message).toMatch(/Body cannot be empty/);
  });

  it("a body over the limit: 413", async () => {
    const response = await create({ name: "x", description: "d".repeat(BODY_LIMIT_BYTES) });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toEqual({ error: "Payload Too Large", message: "Request body is too large" });
  });

  it("a body that is not JSON: 415", async () => {
    const response = await send("POST", "/api/projects", "name=x", "application/x-www-form-urlencoded");
    expect(response.statusCode).toBe(415);
    expect(response.json()).toMatchObject({ error: "Unsupported Media Type" });
  });

  it.each([
    ["GET", "/nope"],
    ["GET", "/api/projects/a/b"],
    ["PUT", "/api/projects"],
    ["POST", "/health"],
  ] as const)("an unknown route %s %s: 404 JSON", async (method, url) => {
    const response = await app.api.inject({ method, url });
    expect(response.statusCode).toBe(404);
    expect(response.headers["content-type"]).toMatch(/^application\/json/);
    expect(response.json()).toEqual({ error: "Not Found", message: `no route for ${method} ${url}` });
  });

  it("a malformed URL: 400", async () => {
    const response = await app.api.inject("/api/%zz");
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: "Bad Request",
      message: "'/api/%zz' is not a valid url component",
    });
  });
});

describe("health", () => {
  it("/health and /ready answer 200 while the database is up", async () => {
    expect((await app.api.inject("/health")).json()).toEqual({ status: "ok" });
    const ready = await app.api.inject("/ready");
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: "ready" });
  });
});

describe("an unexpected failure", () => {
  it("answers 500 without details, and logs them", async () => {
    const url = await freshDatabase("broken");
    const logs = new LogCapture();
    const broken = await startTestApp(testConfig(url, { LOG_LEVEL: "error" }), { logs });
    try {
      await withClient(url, (client) => client.query("DROP TABLE projects"));
      const response = await broken.api.inject("/api/projects");
      expect(response.statusCode).toBe(500);
      expect(response.json()).toEqual({ error: "Internal Server Error", message: "internal error" });
      const logged = logs.lines.find((l) => l.msg === "request failed") as { err: { message: string } };
      expect(logged.err.message).toBe('relation "projects" does not exist');
    } finally {
      await broken.close();
    }
  });
});
