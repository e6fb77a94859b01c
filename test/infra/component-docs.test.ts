// The components' reference pages: generated from the package schema and the examples (a stale page
// fails), every optional argument says its default, and every example runs under mocks.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { componentPages, DOCS_DIR, exampleFile } from "../../tools/component-docs";
import { installMocks, settle } from "./harness";

interface Property {
  description?: string;
}
const schema = JSON.parse(
  readFileSync(join(import.meta.dirname, "../../components/schema.json"), "utf8"),
) as {
  resources: Record<string, { inputProperties: Record<string, Property>; requiredInputs?: string[] }>;
  types: Record<string, { properties?: Record<string, Property>; required?: string[] }>;
};
const COMPONENTS = Object.keys(schema.resources).map((token) => token.split(":")[2] ?? token);

describe("docs/components", () => {
  it("is what `npm run component-docs` writes now", () => {
    const pages = componentPages();
    expect(
      readdirSync(DOCS_DIR)
        .filter((f) => f.endsWith(".md"))
        .sort(),
    ).toEqual(Object.keys(pages).sort());
    for (const [file, text] of Object.entries(pages)) {
      expect(readFileSync(join(DOCS_DIR, file), "utf8"), file).toBe(text);
    }
  });

  it("says the default of every optional argument, in the components and in their types", () => {
    const silent: string[] = [];
    const check = (owner: string, properties: Record<string, Property>, required: string[] = []) => {
      for (const [name, property] of Object.entries(properties)) {
        if (!required.includes(name) && !/default/i.test(property.description ?? ""))
          silent.push(`${owner}.${name}`);
      }
    };
    for (const [token, resource] of Object.entries(schema.resources)) {
      check(token, resource.inputProperties, resource.requiredInputs);
    }
    for (const [token, type] of Object.entries(schema.types))
      check(token, type.properties ?? {}, type.required);
    expect(silent).toEqual([]);
  });

  it.each(COMPONENTS)(
    "runs the %s example under mocks",
    async (component) => {
      vi.resetModules();
      const recorder = await installMocks({
        project: "example",
        stack: "prod",
        config: {
          "example:slackWebhookUrl": "https://hooks.slack.com/services/T0/B0/x",
          "example:pagerdutyRoutingKey": "routing-key",
          "example:grafanaToken": "glsa_token",
        },
        secretKeys: ["example:slackWebhookUrl", "example:pagerdutyRoutingKey", "example:grafanaToken"],
      });
      await import(exampleFile(component));
      await settle(recorder);
      const made = recorder.resources.filter((r) => r.type === `showcase-monitoring:index:${component}`);
      expect(made.length, `${component} in its example`).toBeGreaterThan(0);
    },
    120_000,
  );
});
