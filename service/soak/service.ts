// The service under soak: a child process of its own (soak/server.ts), its memory after GC over
// IPC, its event-loop lag from /metrics, and its exit.
import { fork, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { freePort } from "../../tools/ports";
import { parseExposition, samples } from "../test/support/prom-text";
import type { MemoryFigures } from "./server";

export interface SoakService {
  base: string;
  child: ChildProcess;
  /** Error-level log lines so far (level >= 50). */
  errorLines(): string[];
  memory(): Promise<MemoryFigures>;
  /** Event-loop lag figures (seconds) and refusals before routing, from one scrape. */
  scrape(): Promise<{ lagP99: number; lagMax: number; refused: Record<string, number> } | undefined>;
  exited: Promise<{ code: number | null; at: number }>;
}

export async function startSoakService(env: Record<string, string>): Promise<SoakService> {
  const port = await freePort();
  const metricsPort = await freePort();
  const child = fork(join(__dirname, "server.ts"), {
    execArgv: ["--expose-gc", "--import", "tsx"],
    env: {
      PATH: process.env.PATH,
      HOST: "127.0.0.1",
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
      LOG_LEVEL: "warn",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  const errors: string[] = [];
  let pending = "";
  const collect = (chunk: Buffer) => {
    const lines = (pending + chunk.toString()).split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) {
      const level = /"level":(\d+)/.exec(line)?.[1];
      if (level === undefined || Number(level) >= 50) errors.push(line);
    }
  };
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);
  const exited = new Promise<{ code: number | null; at: number }>((resolve) =>
    child.once("exit", (code) => resolve({ code, at: performance.now() })),
  );
  const base = `http://127.0.0.1:${port}`;
  for (let tries = 0; (await fetch(`${base}/ready`).catch(() => undefined))?.status !== 200; tries++) {
    if (tries > 200 || child.exitCode !== null)
      throw new Error(`the service did not start:\n${errors.join("\n")}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    base,
    child,
    errorLines: () => errors,
    exited,
    memory: () =>
      new Promise((resolve) => {
        child.once("message", (figures) => resolve(figures as MemoryFigures));
        child.send("memory");
      }),
    async scrape() {
      // Undefined when /metrics does not answer in full (e.g. the stop closed the connection).
      const text = await fetch(`http://127.0.0.1:${metricsPort}/metrics`)
        .then((response) => (response.status === 200 ? response.text() : undefined))
        .catch(() => undefined);
      if (text === undefined) return undefined;
      const m = parseExposition(text);
      const one = (name: string) => samples(m, name)[0]?.value ?? 0;
      const refused = Object.fromEntries(
        samples(m, "http_client_errors_total").map((s) => [s.labels.reason ?? "", s.value]),
      );
      return {
        lagP99: one("nodejs_eventloop_lag_p99_seconds"),
        lagMax: one("nodejs_eventloop_lag_max_seconds"),
        refused,
      };
    },
  };
}
