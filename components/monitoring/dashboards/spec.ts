// What each dashboard module returns; index.ts adds what they share (links, time, tags).
import type { PanelBuilder } from "./panels";
import type { VariableBuilder } from "./variables";

export interface DashboardSpec {
  uid: string;
  title: string;
  description: string;
  variables: VariableBuilder[];
  panels: PanelBuilder[];
}

/** Stable uids: links, bookmarks and provisioning rely on them. */
export const UIDS = {
  overview: "showcase-overview",
  http: "showcase-http",
  nodejs: "showcase-nodejs",
  database: "showcase-database",
  infrastructure: "showcase-infrastructure",
  slo: "showcase-slo",
} as const;
