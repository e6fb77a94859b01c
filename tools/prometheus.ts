// The tested Prometheus (tools/monitoring-tools) as a process of a test's own: `dir/prometheus.yml`
// as its config, its data and log in `dir`, resolved once it is ready, with its API.
import { join } from "node:path";
import { toolPath } from "./monitoring-tools";
import { startProcess, waitForHttp, type ManagedProcess } from "./processes";
import { PrometheusApi } from "./prometheus-api";

export interface StartedPrometheus {
  process: ManagedProcess;
  api: PrometheusApi;
}

export async function startPrometheus(dir: string, port: number): Promise<StartedPrometheus> {
  const prometheus = startProcess({
    name: "prometheus",
    command: toolPath("prometheus"),
    args: [
      `--config.file=${join(dir, "prometheus.yml")}`,
      `--storage.tsdb.path=${join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    logFile: join(dir, "prometheus.log"),
  });
  try {
    await waitForHttp(prometheus, `http://127.0.0.1:${port}/-/ready`);
  } catch (error) {
    await prometheus.stop();
    throw error;
  }
  return { process: prometheus, api: new PrometheusApi(`http://127.0.0.1:${port}`) };
}
