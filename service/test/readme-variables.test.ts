// The README's table of the service's variables is its environment contract: it lists exactly the
// variables parseConfig reads (recorded as it reads them), so none is undocumented or stale.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../src/config";

const readme = readFileSync(join(__dirname, "../../README.md"), "utf8");
const section = readme.slice(readme.indexOf("## The service"), readme.indexOf("### Soak"));

/** Every variable parseConfig looks at, whether set or not. */
function variablesRead(): Set<string> {
  const read = new Set<string>();
  const env = new Proxy<Record<string, string | undefined>>(
    { DATABASE_URL: "postgres://app@db/app" },
    {
      get(target, name) {
        if (typeof name === "string") read.add(name);
        return target[name as string];
      },
    },
  );
  parseConfig(env);
  return read;
}

describe("README: the service's variables", () => {
  it("has one row for each variable the service reads, except the one it only refuses", () => {
    const rows = [...section.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]);
    const read = variablesRead();
    // Read only to refuse it with a message pointing to its successor, which the table names.
    read.delete("DATABASE_CA_CERT");
    expect(section).toContain("the PEM in `DATABASE_CA_CERT` (before) is refused");
    expect(new Set(rows)).toEqual(read);
    expect(rows).toHaveLength(read.size);
  });
});
