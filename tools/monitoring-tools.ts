// The Prometheus and Alertmanager binaries that the tests and the local stack run: the versions
// monitoring-tools.json pins, unpacked into .tools/ by monitoring-tools.sh. Always these, by
// absolute path, never whatever `prometheus` the system's PATH holds (Debian 12's is 2.42).
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import pins from "./monitoring-tools.json";

export type MonitoringTool = "prometheus" | "promtool" | "prometheus-alertmanager" | "amtool";

/** The upstream versions the tests prove the generated files on. */
export const TESTED_VERSIONS = { prometheus: pins.prometheus, alertmanager: pins.alertmanager } as const;

export const MONITORING_TOOLS_BIN = resolve(__dirname, "..", pins.dir, "usr/bin");

/** The absolute path of `tool`; throws, saying how to fetch it, when it is not there. */
export function toolPath(tool: MonitoringTool): string {
  const path = join(MONITORING_TOOLS_BIN, tool);
  if (!existsSync(path)) {
    throw new Error(
      `${tool} not found at ${path}: run \`bash tools/ensure-tools.sh\` (it fetches Prometheus ` +
        `${pins.prometheus} and Alertmanager ${pins.alertmanager} from Debian ${pins.debianSuite})`,
    );
  }
  return path;
}

/** The version `tool --version` reports ("prometheus, version 3.5.3+ds1 (...)" gives 3.5.3). */
export function reportedVersion(tool: MonitoringTool): string {
  const output = execFileSync(toolPath(tool), ["--version"], { encoding: "utf8", stdio: "pipe" });
  const version = /^\S+, version (\d+\.\d+\.\d+)/.exec(output)?.[1];
  if (version === undefined)
    throw new Error(`${tool} --version: unexpected output ${JSON.stringify(output)}`);
  return version;
}
