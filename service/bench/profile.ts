// CPU time spent in an instrumentation's own code, read from a V8 CPU profile of the server: what
// the fixed-rate CPU figures cannot resolve. At 40–60 µs of CPU per request, mostly the kernel's
// socket writes, their rounds scatter by several µs; a sampled profile at 100 µs sees the few
// tenths of a µs a request spends in the metrics code. Not counted: Fastify's hook runner around
// the hooks, and the collection of what they allocate (the GC figure is printed apart).
import { Session } from "node:inspector/promises";

export const SAMPLING_INTERVAL_US = 100;

interface ProfileNode {
  id: number;
  callFrame: { url: string; functionName: string };
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface Attribution {
  /** µs of samples in code from one of the files (see attribute). */
  ownUs: number;
  /** µs of samples in V8's garbage collector. */
  gcUs: number;
}

/** JavaScript code with a file of its own: not V8's built-ins (no URL) and not Node's (`node:`). */
const isCode = (url: string) => url !== "" && !url.startsWith("node:");

/**
 * Splits a profile's time: in the given files, and in the GC. A sample counts for the innermost
 * code frame on its stack, built-ins it called included: a hook that calls `done()` runs the rest
 * of Fastify's lifecycle inside its own frame, and that is Fastify's time, not the hook's.
 */
export function attribute(profile: CpuProfile, files: readonly RegExp[]): Attribution {
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const owned = new Map<number, boolean>();
  const isOwn = (id: number | undefined): boolean => {
    if (id === undefined) return false;
    let known = owned.get(id);
    if (known === undefined) {
      const { url } = byId.get(id)!.callFrame;
      known = isCode(url) ? files.some((file) => file.test(url)) : isOwn(parent.get(id));
      owned.set(id, known);
    }
    return known;
  };
  let ownUs = 0;
  let gcUs = 0;
  profile.samples.forEach((id, i) => {
    // A sample's delta is the time since the previous one; it is that sample's time.
    const us = profile.timeDeltas[i] ?? 0;
    if (isOwn(id)) ownUs += us;
    else if (byId.get(id)!.callFrame.functionName === "(garbage collector)") gcUs += us;
  });
  return { ownUs, gcUs };
}

/** Starts V8's sampling profiler in this process; the returned function stops it. */
export async function startProfiling(): Promise<() => Promise<CpuProfile>> {
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.setSamplingInterval", { interval: SAMPLING_INTERVAL_US });
  await session.post("Profiler.start");
  return async () => {
    const { profile } = await session.post("Profiler.stop");
    session.disconnect();
    return profile as CpuProfile;
  };
}
