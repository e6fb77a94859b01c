// The two benchmark targets: copies of the service in child processes (bench/server.ts), metrics
// on and off, each answering for its own CPU time over IPC.
import { fork, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { freePort } from "../../tools/ports";
import type { ServerReply, ServerRequest } from "./server";

export type Variant = "on" | "off";

export interface Target {
  variant: Variant;
  /** The trivial route under load. */
  url: string;
  /** CPU time (user + system) the process has used so far, in µs. */
  cpuMicros(): Promise<number>;
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
      // Request logs would cost more than the metrics; both copies log warnings only.
      LOG_LEVEL: "warn",
      BENCH_METRICS: variant,
    },
  });
  const ready = await new Promise<ServerReply>((resolve, reject) => {
    child.once("message", resolve);
    child.once("exit", (code) => reject(new Error(`metrics-${variant} server exited with ${code}`)));
  });
  if (ready.type !== "ready") throw new Error(`unexpected message from the metrics-${variant} server`);
  return {
    variant,
    url: `http://127.0.0.1:${port}/health`,
    async cpuMicros() {
      const reply = await ask(child, { type: "cpu" });
      if (reply.type !== "cpu") throw new Error(`unexpected reply from the metrics-${variant} server`);
      return reply.micros;
    },
    async stop() {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.send({ type: "stop" } satisfies ServerRequest);
      await exited;
    },
  };
}
