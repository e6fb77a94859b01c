// The tested Prometheus (tools/monitoring-tools) as a process of a test's own: `dir/prometheus.yml`
// as its config, its data and log in `dir`, resolved once it is ready, with its API.
import { join } from "node:path";
import { toolPath } from "./monitoring-tools";
import { startProcess, waitForHttp, type ManagedProcess } from "./processes";
import { PrometheusApi, type ClientOptions } from "./prometheus-api";

export interface StartedPrometheus {
  process: ManagedProcess;
  api: PrometheusApi;
}

/** A `--web.config.file` (HTTPS, users) and how this process's requests pass it. */
export interface PrometheusWeb {
  configFile: string;
  client: ClientOptions;
}

/** Plain HTTP unless `web` is given. */
export async function startPrometheus(
  dir: string,
  port: number,
  web?: PrometheusWeb,
): Promise<StartedPrometheus> {
  const baseUrl = `${web === undefined ? "http" : "https"}://127.0.0.1:${port}`;
  const prometheus = startProcess({
    name: "prometheus",
    command: toolPath("prometheus"),
    args: [
      `--config.file=${join(dir, "prometheus.yml")}`,
      `--storage.tsdb.path=${join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      ...(web === undefined ? [] : [`--web.config.file=${web.configFile}`]),
    ],
    logFile: join(dir, "prometheus.log"),
  });
  try {
    await waitForHttp(prometheus, `${baseUrl}/-/ready`, { client: web?.client });
  } catch (error) {
    await prometheus.stop();
    throw error;
  }
  return { process: prometheus, api: new PrometheusApi(baseUrl, web?.client) };
}
