// The README's example of a bad setting: each `<!-- config-error: key.field=value -->` block is the
// exact message the stack configuration gives for that value on the dev stack (as `pulumi config
// set --path key.field value` stores it: a string).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseStackConfig } from "../../stack/config";
import { configSource, stackValues, withField } from "./stack-files";

const README = readFileSync(join(__dirname, "../../README.md"), "utf8");
const EXAMPLES = [...README.matchAll(/<!-- config-error: (\w+)\.(\w+)=(\S+) -->\s*```text\n([^\n]+)\n```/g)];

describe("README: the stack configuration's error for a bad value", () => {
  it("has at least one example", () => {
    expect(EXAMPLES.length).toBeGreaterThan(0);
  });

  it.each(EXAMPLES.map((m) => [`${m[1]}.${m[2]}=${m[3]}`, m[1]!, m[2]!, m[3]!, m[4]!]))(
    "%s fails the preview with the README's message",
    (_name, key, field, value, message) => {
      const values = withField(stackValues("dev"), key, field, value);
      // The whole message, not a part of it.
      expect(() => parseStackConfig(configSource(values, "dev"))).toThrow(
        expect.objectContaining({ message }),
      );
    },
  );
});
