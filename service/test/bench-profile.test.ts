// The benchmark's attribution of CPU profile time to an instrumentation's own code (bench/profile.ts):
// the figure the CPU targets are judged on, so its rule is pinned here.
import { describe, expect, it } from "vitest";
import { attribute, type CpuProfile } from "../bench/profile";

const OURS = "file:///work/service/src/metrics/http.ts";
const FASTIFY = "file:///work/node_modules/fastify/lib/hooks.js";

/** Nodes as [id, url, functionName, children]. */
function profile(nodes: [number, string, string, number[]][], samples: [number, number][]): CpuProfile {
  return {
    nodes: nodes.map(([id, url, functionName, children]) => ({
      id,
      callFrame: { url, functionName },
      children,
    })),
    samples: samples.map(([id]) => id),
    timeDeltas: samples.map(([, us]) => us),
  };
}

describe("attributing profile time", () => {
  const tree = profile(
    [
      [1, "", "(root)", [2, 7]],
      [2, FASTIFY, "next", [3]],
      [3, OURS, "hook", [4, 5]],
      [4, "", "get", []], // a V8 built-in our hook calls: ours
      [5, FASTIFY, "done", [6]], // the lifecycle going on inside our frame: Fastify's
      [6, "node:internal/streams/writable", "write", []], // Node's, called by Fastify: Fastify's
      [7, "", "(garbage collector)", []],
    ],
    [
      [3, 100],
      [4, 100],
      [5, 100],
      [6, 100],
      [7, 100],
      [2, 100],
    ],
  );

  it("counts the innermost code frame's file, built-ins and Node's own code going to their caller", () => {
    expect(attribute(tree, [/\/service\/src\/metrics\//])).toEqual({ ownUs: 200, gcUs: 100 });
    expect(attribute(tree, [/\/fastify\/lib\//])).toEqual({ ownUs: 300, gcUs: 100 });
  });

  it("counts nothing for no files", () => {
    expect(attribute(tree, [])).toEqual({ ownUs: 0, gcUs: 100 });
  });
});
