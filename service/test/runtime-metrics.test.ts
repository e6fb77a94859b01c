import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Registry } from "prom-client";
import { afterEach, describe, expect, it } from "vitest";
import { EVENT_LOOP_LAG_METRICS } from "../src/metrics/event-loop";
import {
  parseCgroupMemoryLimit,
  readCgroupMemoryLimit,
  registerRuntimeMetrics,
} from "../src/metrics/runtime";
import { parseExposition, value } from "./support/prom-text";

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

describe("event-loop lag", () => {
  const registry = new Registry();
  registerRuntimeMetrics(registry, undefined);
  const scrape = async () => parseExposition(await registry.metrics());
  const lag = (m: Awaited<ReturnType<typeof scrape>>, figure: string) =>
    value(m, `nodejs_eventloop_lag_${figure}_seconds`);

  it("is about zero on an idle loop: the 50 ms sampling interval is not lag", async () => {
    await scrape(); // starts a new window
    await sleep(500);
    const m = await scrape();
    // Node's raw samples are never below the interval: 0.05 s on an idle loop.
    expect(lag(m, "p50")).toBeLessThan(0.025);
    expect(lag(m, "min")).toBeLessThan(0.025);
  });

  it("shows a deliberately blocked loop as the time the loop was late", async () => {
    await scrape();
    await sleep(120);
    const blockedUntil = performance.now() + 400;
    while (performance.now() < blockedUntil); // the block
    await sleep(120);
    const m = await scrape();
    // A sample fell due somewhere in the first 50 ms of the block and ran at its end.
    expect(lag(m, "max")).toBeGreaterThanOrEqual(0.35);
    expect(lag(m, "min")).toBeLessThan(0.025);
    expect(lag(m, "p50")).toBeLessThan(lag(m, "max"));
  });

  it("replaces prom-client's figures, one series each", async () => {
    const m = await scrape();
    for (const name of EVENT_LOOP_LAG_METRICS) {
      expect(m.get(name)?.type, name).toBe("gauge");
      expect(m.get(name)?.samples, name).toHaveLength(1);
    }
    expect(m.has("nodejs_eventloop_lag_seconds")).toBe(true);
  });
});
