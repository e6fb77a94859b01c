// The soak's service process: the real entry point (src/main.ts, with its signal handling), plus
// one IPC request for the soak: collect garbage, then report the memory figures.
import "../src/main";

export interface MemoryFigures {
  heapUsed: number;
  /** Memory of C++ objects bound to JavaScript ones (buffers, sockets). */
  external: number;
  rss: number;
}

process.on("message", (message: unknown) => {
  if (message !== "memory") return;
  // --expose-gc: two passes, so that what the first frees to finalizers is gone too.
  global.gc?.();
  global.gc?.();
  const { heapUsed, external, rss } = process.memoryUsage();
  process.send?.({ heapUsed, external, rss } satisfies MemoryFigures);
});
