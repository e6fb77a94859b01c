// Entry point: read the configuration (exit 1 naming the variable when it is wrong), start, and
// stop gracefully on SIGTERM (ECS) or SIGINT (Ctrl-C).
import { ConfigError, parseConfig, type Config } from "./config";
import { startService } from "./server";

function readConfig(): Config {
  try {
    return parseConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

async function main(): Promise<void> {
  const service = await startService(readConfig());
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
}

main().catch((error: unknown) => {
  // startService has logged the details; this line also covers failures before the logger exists.
  process.stderr.write(`start-up failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
