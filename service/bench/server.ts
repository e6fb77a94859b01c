// A benchmark target: the real service, run as one of the variants (BENCH_VARIANT), which reports
// its own CPU time over IPC so that the figures cover the server process only.
import { parseConfig } from "../src/config";
import { startService } from "../src/server";
import { appOptions, isVariant } from "./variants";

export type ServerRequest = { type: "cpu" } | { type: "stop" };
export type ServerReply = { type: "ready" } | { type: "cpu"; micros: number };

async function main(): Promise<void> {
  const variant = process.env.BENCH_VARIANT;
  if (!isVariant(variant)) throw new Error(`BENCH_VARIANT: no such variant "${variant}"`);
  const service = await startService(parseConfig(process.env), appOptions(variant));
  await service.migrations;
  const send = (reply: ServerReply) => process.send!(reply);
  process.on("message", (message: ServerRequest) => {
    if (message.type === "cpu") {
      const { user, system } = process.cpuUsage();
      send({ type: "cpu", micros: user + system });
    } else {
      void service.stop().then(() => process.exit(0));
    }
  });
  send({ type: "ready" });
}

void main();
