// A real Alertmanager (the tested version, tools/monitoring-tools) on a free loopback port, for
// checks that amtool cannot make (inhibition). Clustering off, data in a temporary folder.
import { join } from "node:path";
import { startAlertmanager as startProcess } from "../../../tools/local-stack";
import { freePort } from "../../../tools/ports";
import { writeTree } from "./commands";

export interface RunningAlertmanager {
  url: string;
  stop(): Promise<void>;
}

export async function startAlertmanager(config: string): Promise<RunningAlertmanager> {
  const dir = writeTree({ "alertmanager.yml": config });
  const port = await freePort();
  const alertmanager = await startProcess({
    configFile: join(dir, "alertmanager.yml"),
    dataDir: join(dir, "data"),
    port,
    logFile: join(dir, "alertmanager.log"),
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      await alertmanager.stop();
    },
  };
}
