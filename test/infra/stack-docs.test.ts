// docs/stack-configuration.md is generated from the stack schema and the stack files
// (`npm run stack-docs`): the committed file must be what the generator writes now.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { renderAlertmanagerConfig } from "showcase-monitoring/monitoring";
import { renderStackDocs, STACK_DOCS } from "../../tools/stack-docs";

describe("docs/stack-configuration.md", () => {
  const rendered = renderStackDocs();

  it("is what `npm run stack-docs` writes from the schema and the stack files", () => {
    expect(readFileSync(STACK_DOCS, "utf8"), "stale: run `npm run stack-docs` and commit the result").toBe(
      rendered,
    );
  });

  it("names the Alertmanager generator's own timings as the defaults of the unset receivers timings", () => {
    const { route } = parse(renderAlertmanagerConfig({})) as { route: Record<string, string> };
    for (const [key, field] of [
      ["groupWait", "group_wait"],
      ["groupInterval", "group_interval"],
      ["repeatInterval", "repeat_interval"],
    ] as const) {
      const row = rendered.split("\n").find((line) => line.startsWith(`| \`${key}\` |`));
      expect(row?.split(" | ")[3], key).toBe(`\`${route[field]}\` (the generator's)`);
    }
  });
});
