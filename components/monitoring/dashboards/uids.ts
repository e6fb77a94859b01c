/** Stable dashboard uids: links, bookmarks and provisioning rely on them. */
export const UIDS = {
  overview: "showcase-overview",
  http: "showcase-http",
  nodejs: "showcase-nodejs",
  database: "showcase-database",
  infrastructure: "showcase-infrastructure",
  slo: "showcase-slo",
} as const;
