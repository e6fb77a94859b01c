// The README's list of decisions is every note in docs/decisions/, by its own number and title, so
// a new decision (or a renumbered one) cannot go unlisted.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(__dirname, "../..");
const DIR = join(ROOT, "docs/decisions");
const README = readFileSync(join(ROOT, "README.md"), "utf8");
const section = README.slice(
  README.indexOf("## Decisions\n"),
  README.indexOf("\n## ", README.indexOf("## Decisions\n") + 1),
);

describe("README: decisions", () => {
  const notes = readdirSync(DIR).filter((file) => file.endsWith(".md"));

  it.each(notes)(
    "%s: its title carries its file's number, and the README lists it with that title",
    (file) => {
      const title = readFileSync(join(DIR, file), "utf8").split("\n")[0]!;
      const match = /^# (\d{4}) — (.+)$/.exec(title);
      expect(match, `${file}: first line "# NNNN — Title"`).not.toBeNull();
      const [, number, text] = match!;
      expect(file.startsWith(`${number}-`), `${file} is titled ${number}`).toBe(true);
      expect(section).toContain(`- [${number}](docs/decisions/${file}): ${text}\n`);
    },
  );

  it("lists nothing else", () => {
    const listed = [...section.matchAll(/\(docs\/decisions\/([^)]+)\)/g)].map((m) => m[1]);
    expect(listed.sort()).toEqual([...notes].sort());
  });
});
