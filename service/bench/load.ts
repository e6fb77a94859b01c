// Load from autocannon in a process of its own, so the load generator never shares the server's
// event loop or CPU account.
import { execFile } from "node:child_process";

export interface LoadOptions {
  url: string;
  connections: number;
  seconds: number;
  /** Requests per second over all connections; unset = as fast as the server answers. */
  rate?: number;
}

export interface LoadResult {
  requests: number;
  perSecond: number;
  p99Ms: number;
}

interface AutocannonJson {
  duration: number;
  errors: number;
  non2xx: number;
  requests: { total: number };
  latency: { p99: number };
}

const AUTOCANNON = require.resolve("autocannon/autocannon.js");

export function runLoad(options: LoadOptions): Promise<LoadResult> {
  const args = [
    AUTOCANNON,
    "--json",
    "--no-progress",
    "-c",
    String(options.connections),
    "-d",
    String(options.seconds),
  ];
  if (options.rate !== undefined) args.push("--overallRate", String(options.rate));
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [...args, options.url], { maxBuffer: 16 << 20 }, (error, stdout) => {
      if (error) return reject(new Error(`autocannon failed: ${error.message}`));
      const result = JSON.parse(stdout) as AutocannonJson;
      if (result.errors > 0 || result.non2xx > 0)
        return reject(new Error(`autocannon: ${result.errors} errors, ${result.non2xx} non-2xx answers`));
      resolve({
        requests: result.requests.total,
        perSecond: result.requests.total / result.duration,
        p99Ms: result.latency.p99,
      });
    });
  });
}
