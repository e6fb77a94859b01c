import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseCgroupMemoryLimit, readCgroupMemoryLimit } from "../src/metrics/runtime";

describe("cgroup memory limit", () => {
  it.each([
    ["536870912\n", 536870912],
    ["max\n", undefined],
    ["9223372036854771712\n", undefined],
    ["0", undefined],
    ["", undefined],
    [undefined, undefined],
  ])("parses %j as %s", (text, expected) => {
    expect(parseCgroupMemoryLimit(text)).toBe(expected);
  });

  const roots: string[] = [];
  afterEach(() => roots.splice(0).forEach((root) => rmSync(root, { recursive: true, force: true })));
  const root = (files: Record<string, string>) => {
    const dir = mkdtempSync(join(tmpdir(), "cgroup-"));
    roots.push(dir);
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(dir, path, ".."), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    return dir;
  };

  it("reads cgroup v2 first, then v1, and nothing when neither limits", () => {
    expect(readCgroupMemoryLimit(root({ "memory.max": "1073741824\n" }))).toBe(1073741824);
    expect(readCgroupMemoryLimit(root({ "memory/memory.limit_in_bytes": "2147483648\n" }))).toBe(2147483648);
    expect(readCgroupMemoryLimit(root({ "memory.max": "max\n" }))).toBeUndefined();
    expect(readCgroupMemoryLimit(root({}))).toBeUndefined();
  });
});
