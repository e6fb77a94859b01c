// `npm run schema`: the components' Pulumi package schema, inferred from their TypeScript sources
// the way `pulumi package add` infers it, written to components/schema.json (a test fails when the
// committed file is stale).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ComponentProvider } from "@pulumi/pulumi/provider/experimental";
import { getPulumiComponents } from "@pulumi/pulumi/provider/experimental/provider";

export const COMPONENTS_DIR = join(import.meta.dirname, "..", "components");
export const SCHEMA_FILE = join(COMPONENTS_DIR, "schema.json");

/** The schema as `pulumi package add` would infer it, formatted for the committed file. */
export async function componentSchema(): Promise<string> {
  // The built package, as the plugin host loads it (its package.json main).
  const library = (await import("showcase-monitoring")) as Record<string, unknown>;
  const provider = new ComponentProvider({
    components: getPulumiComponents(library),
    dirname: COMPONENTS_DIR,
    name: "showcase-monitoring",
  });
  return `${JSON.stringify(JSON.parse(await provider.getSchema()), null, 2)}\n`;
}

if (process.argv[1] === import.meta.filename) {
  void componentSchema().then((schema) => {
    writeFileSync(SCHEMA_FILE, schema);
    console.log(`wrote ${SCHEMA_FILE}`);
  });
}
