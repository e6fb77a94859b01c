import { Pool } from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { createDatabase } from "../src/db/database";
import { MIGRATIONS, migrate } from "../src/db/migrations";
import { freshDatabase, withClient } from "./support/database";

const pools: Pool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.end()));
});

function database(url: string) {
  const pool = new Pool({ connectionString: url, max: 2 });
  pools.push(pool);
  return createDatabase(pool, () => undefined);
}

async function schema(url: string) {
  return withClient(url, async (client) => {
    const tables = await client.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
    );
    const versions = await client.query<{ version: number }>(
      "SELECT version FROM schema_migrations ORDER BY 1",
    );
    return { tables: tables.rows.map((r) => r.table_name), versions: versions.rows.map((r) => r.version) };
  });
}

describe("migrations", () => {
  it("are numbered in order without gaps", () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });

  it("apply once; a second run changes nothing", async () => {
    const url = await freshDatabase("migrate_twice");
    const all = MIGRATIONS.map((m) => m.version);
    expect(await migrate(database(url))).toEqual(all);
    expect(await migrate(database(url))).toEqual([]);
    expect(await schema(url)).toEqual({ tables: ["projects", "schema_migrations"], versions: all });
  });

  it("are safe from two instances at once", async () => {
    const url = await freshDatabase("migrate_concurrent");
    const results = await Promise.all([
      migrate(database(url)),
      migrate(database(url)),
      migrate(database(url)),
    ]);
    // Exactly one instance applied them; the others found the schema up to date.
    expect(results.map((r) => r.length).sort()).toEqual([0, 0, MIGRATIONS.length]);
    expect((await schema(url)).versions).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it("roll back entirely when a migration fails", async () => {
    const url = await freshDatabase("migrate_failing");
    const broken = [...MIGRATIONS, { version: MIGRATIONS.length + 1, name: "broken", sql: "SELEC nonsense" }];
    await expect(migrate(database(url), broken)).rejects.toThrow(/syntax error/);
    const tables = await withClient(url, (client) =>
      client.query("SELECT 1 FROM information_schema.tables WHERE table_schema = 'public'"),
    );
    expect(tables.rowCount).toBe(0);
    expect(await migrate(database(url))).toEqual(MIGRATIONS.map((m) => m.version));
  });
});
