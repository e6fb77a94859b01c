// The benchmark targets: copies of the service in child processes (bench/server.ts), one per
// variant, each answering for its own CPU time over IPC.
import { fork, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { freePort } from "../../tools/ports";
import type { Attribution } from "./profile";
import type { ServerReply, ServerRequest } from "./server";
import type { Variant } from "./variants";

export interface Target {
  variant: Variant;
  /** Where the service listens: `http://host:port`. */
  origin: string;
  /** CPU time (user + system) the process has used so far, in µs. */
  cpuMicros(): Promise<number>;
  /** Starts the server's CPU profiler; the returned function stops it and attributes its time. */
  profile(): Promise<() => Promise<Attribution>>;
  stop(): Promise<void>;
}

function ask(child: ChildProcess, message: ServerRequest): Promise<ServerReply> {
  return new Promise((resolve) => {
    child.once("message", resolve);
    child.send(message);
  });
}

export async function startTarget(variant: Variant, databaseUrl: string): Promise<Target> {
  const port = await freePort();
  const child = fork(join(__dirname, "server.ts"), {
    execArgv: ["--import", "tsx"],
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: databaseUrl,
      HOST: "127.0.0.1",
      PORT: String(port),
      METRICS_PORT: String(await freePort()),
      // Request logs would cost more than the metrics; every copy logs warnings only.
      LOG_LEVEL: "warn",
      BENCH_VARIANT: variant,
      ...(process.env.BENCH_PROFILE_DIR !== undefined && {
        BENCH_PROFILE_DIR: process.env.BENCH_PROFILE_DIR,
      }),
    },
  });
  const ready = await new Promise<ServerReply>((resolve, reject) => {
    child.once("message", resolve);
    child.once("exit", (code) => reject(new Error(`${variant} server exited with ${code}`)));
  });
  if (ready.type !== "ready") throw new Error(`unexpected message from the ${variant} server`);
  return {
    variant,
    origin: `http://127.0.0.1:${port}`,
    async cpuMicros() {
      const reply = await ask(child, { type: "cpu" });
      if (reply.type !== "cpu") throw new Error(`unexpected reply from the ${variant} server`);
      return reply.micros;
    },
    async profile() {
      if ((await ask(child, { type: "profile-start" })).type !== "profiling")
        throw new Error(`the ${variant} server did not start profiling`);
      return async () => {
        const reply = await ask(child, { type: "profile-stop" });
        if (reply.type !== "profile") throw new Error(`unexpected reply from the ${variant} server`);
        return { ownUs: reply.ownUs, gcUs: reply.gcUs };
      };
    },
    async stop() {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.send({ type: "stop" } satisfies ServerRequest);
      await exited;
    },
  };
}
