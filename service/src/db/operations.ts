// The fixed set of database operation names: the `operation` label of the query metrics. A closed
// list keeps the label bounded and lets the metrics exist (at zero) before the first query.
export const OPERATIONS = [
  "project_create",
  "project_list",
  "project_get",
  "project_update",
  "project_delete",
  "migrate",
  "readiness_check",
] as const;

export type Operation = (typeof OPERATIONS)[number];
