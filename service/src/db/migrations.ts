// Schema migrations, run at start-up by every instance. A transaction-scoped advisory lock makes
// concurrent start-ups take turns; the schema_migrations table makes a second run a no-op.
import type { Database } from "./database";

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "create projects",
    sql: `
      CREATE TABLE projects (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name        text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
        description text NOT NULL DEFAULT '' CHECK (char_length(description) <= 5000),
        url         text CHECK (char_length(url) <= 2048),
        tags        text[] NOT NULL DEFAULT '{}' CHECK (cardinality(tags) <= 20),
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX projects_created_at_id ON projects (created_at DESC, id DESC);`,
  },
];

// Any fixed 64-bit number works; it only has to be the same in every instance of this service.
const MIGRATION_LOCK_KEY = "4831167202349210113";

/** Applies the migrations not yet applied; returns their versions (empty when up to date). */
export async function migrate(
  db: Database,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<number[]> {
  return db.transaction("migrate", async (client) => {
    await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK_KEY]);
    await client.query(`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        version    integer PRIMARY KEY,
        name       text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    const done = await client.query<{ version: number }>("SELECT version FROM schema_migrations");
    const applied = new Set(done.rows.map((r) => r.version));
    const pending = migrations.filter((m) => !applied.has(m.version));
    for (const migration of pending) {
      await client.query(migration.sql);
      await client.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [
        migration.version,
        migration.name,
      ]);
    }
    return pending.map((m) => m.version);
  });
}
