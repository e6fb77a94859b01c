// The projects table: the only place that knows its SQL. Inputs arrive validated by the routes'
// schemas; the table's CHECK constraints repeat the limits as a last line of defence.
import type { Database } from "./database";

export interface ProjectInput {
  name: string;
  description?: string;
  url?: string | null;
  tags?: string[];
}

export interface Project {
  id: string;
  name: string;
  description: string;
  url: string | null;
  tags: string[];
  createdAt: string;
  updatedAt: string;
}

interface ProjectRow {
  id: string;
  name: string;
  description: string;
  url: string | null;
  tags: string[];
  created_at: Date;
  updated_at: Date;
}

export interface ProjectRepository {
  create(input: ProjectInput): Promise<Project>;
  list(limit: number, offset: number): Promise<Project[]>;
  get(id: string): Promise<Project | undefined>;
  /** Changes the given fields; undefined when there is no such project. */
  update(id: string, changes: Partial<ProjectInput>): Promise<Project | undefined>;
  delete(id: string): Promise<boolean>;
}

const COLUMNS = "id, name, description, url, tags, created_at, updated_at";
// The updatable columns, by field name: SET clauses are built from this list only.
const UPDATABLE = ["name", "description", "url", "tags"] as const;

function toProject(row: ProjectRow): Project {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    url: row.url,
    tags: row.tags,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function createProjectRepository(db: Database): ProjectRepository {
  return {
    async create(input) {
      const rows = await db.query<ProjectRow>(
        "project_create",
        `INSERT INTO projects (name, description, url, tags) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
        [input.name, input.description ?? "", input.url ?? null, input.tags ?? []],
      );
      return toProject(rows[0]!);
    },

    async list(limit, offset) {
      const rows = await db.query<ProjectRow>(
        "project_list",
        `SELECT ${COLUMNS} FROM projects ORDER BY created_at DESC, id DESC LIMIT $1 OFFSET $2`,
        [limit, offset],
      );
      return rows.map(toProject);
    },

    async get(id) {
      const rows = await db.query<ProjectRow>(
        "project_get",
        `SELECT ${COLUMNS} FROM projects WHERE id = $1`,
        [id],
      );
      return rows[0] && toProject(rows[0]);
    },

    async update(id, changes) {
      const fields = UPDATABLE.filter((field) => changes[field] !== undefined);
      const assignments = fields.map((field, i) => `${field} = $${i + 2}`);
      const rows = await db.query<ProjectRow>(
        "project_update",
        `UPDATE projects SET ${[...assignments, "updated_at = now()"].join(", ")}
         WHERE id = $1 RETURNING ${COLUMNS}`,
        [id, ...fields.map((field) => changes[field])],
      );
      return rows[0] && toProject(rows[0]);
    },

    async delete(id) {
      const rows = await db.query("project_delete", "DELETE FROM projects WHERE id = $1 RETURNING id", [id]);
      return rows.length > 0;
    },
  };
}
