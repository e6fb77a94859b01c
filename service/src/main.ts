// Entry point: read the configuration and the files it names (exit 1 naming the variable when
// one is wrong), start, reload the certificate and tokens on SIGHUP, and stop gracefully on SIGTERM
// (ECS) or SIGINT (Ctrl-C).
import { ConfigError, parseConfig } from "./config";
import { startService } from "./server";

async function main(): Promise<void> {
  const service = await startService(parseConfig(process.env));
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      service.app.log.warn({ signal }, "already shutting down");
      return;
    }
    stopping = true;
    service.app.log.info({ signal }, "signal received");
    void service.stop().then((drained) => process.exit(drained ? 0 : 1));
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
  // Node's default for SIGHUP is to exit: here it means "the files were replaced".
  process.on("SIGHUP", () => service.app.reloadCredentials());
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
  // startService has logged the details; this line also covers failures before the logger exists.
  process.stderr.write(`start-up failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
