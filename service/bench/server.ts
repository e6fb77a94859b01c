// A benchmark target: the real service, run as one of the variants (BENCH_VARIANT), which reports
// its own CPU time over IPC so that the figures cover the server process only.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseConfig } from "../src/config";
import { startService } from "../src/server";
import { attribute, startProfiling, type Attribution, type CpuProfile } from "./profile";
import { appOptions, INSTRUMENTATION_CODE, isVariant } from "./variants";

export type ServerRequest =
  { type: "cpu" } | { type: "profile-start" } | { type: "profile-stop" } | { type: "stop" };
export type ServerReply =
  | { type: "ready" }
  | { type: "cpu"; micros: number }
  | { type: "profiling" }
  | ({ type: "profile" } & Attribution);

/** With BENCH_PROFILE_DIR set, every profile is kept there, to open in Chrome's DevTools. */
function keepProfile(profile: CpuProfile, variant: string): void {
  const dir = process.env.BENCH_PROFILE_DIR;
  if (dir === undefined) return;
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${variant}-${Date.now()}.cpuprofile`), JSON.stringify(profile));
}

async function main(): Promise<void> {
  const variant = process.env.BENCH_VARIANT;
  if (!isVariant(variant)) throw new Error(`BENCH_VARIANT: no such variant "${variant}"`);
  const service = await startService(parseConfig(process.env), appOptions(variant));
  await service.migrations;
  const send = (reply: ServerReply) => process.send!(reply);
  let stopProfiling: (() => Promise<CpuProfile>) | undefined;
  process.on("message", (message: ServerRequest) => {
    switch (message.type) {
      case "cpu": {
        const { user, system } = process.cpuUsage();
        return send({ type: "cpu", micros: user + system });
      }
      case "profile-start":
        return void startProfiling().then((stop) => {
          stopProfiling = stop;
          send({ type: "profiling" });
        });
      case "profile-stop":
        return void stopProfiling!().then((profile) => {
          keepProfile(profile, variant);
          send({ type: "profile", ...attribute(profile, INSTRUMENTATION_CODE[variant]) });
        });
      case "stop":
        return void service.stop().then(() => process.exit(0));
    }
  });
  send({ type: "ready" });
}

void main();
