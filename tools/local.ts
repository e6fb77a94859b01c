// `npm run local [-- --load] [--dir DIR]`: PostgreSQL, the service, Prometheus and Alertmanager on
// this machine with the generated configs, until Ctrl-C.
import { join } from "node:path";
import { parseArgs } from "node:util";
import { monitoringProfile } from "./profiles";
import { buildService, DEFAULT_PORTS, REPO_ROOT, startLocalStack } from "./local-stack";
import { startTraffic, type Traffic } from "./traffic";

const USAGE = "usage: npm run local [-- --load] [--dir DIR]";

function options() {
  try {
    return parseArgs({
      options: {
        load: { type: "boolean", default: false },
        dir: { type: "string", default: join(REPO_ROOT, ".local") },
        help: { type: "boolean", default: false },
      },
    }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
}

async function main(): Promise<void> {
  const args = options();
  if (args.help) {
    console.log(USAGE);
    return;
  }
  const say = (line: string) => console.log(`[local] ${line}`);
  say("installing what is missing (PostgreSQL, Prometheus, Alertmanager) and building the service");
  const { execFileSync } = await import("node:child_process");
  execFileSync("bash", [join(REPO_ROOT, "tools/ensure-tools.sh")], { stdio: "inherit" });
  await buildService();

  const stack = await startLocalStack({
    dir: args.dir,
    ports: DEFAULT_PORTS,
    profile: monitoringProfile("local"),
    log: say,
  });
  let traffic: Traffic | undefined;
  let stopping = false;
  const shutdown = async (reason: string, code: number) => {
    if (stopping) return;
    stopping = true;
    say(`${reason}: stopping everything`);
    await traffic?.stop();
    await stack.stop();
    say(`stopped; data kept in ${args.dir}`);
    process.exit(code);
  };
  process.on("SIGINT", () => void shutdown("SIGINT", 0));
  process.on("SIGTERM", () => void shutdown("SIGTERM", 0));

  say("waiting until every target is up and every rule group is loaded");
  try {
    await stack.waitUntilHealthy(120_000);
  } catch (error) {
    console.error(`[local] ${(error as Error).message}; logs in ${join(args.dir, "logs")}`);
    await shutdown("not healthy", 1);
    return;
  }
  const { tls } = stack;
  say(`API           ${stack.urls.app}/api/projects`);
  say(`metrics       ${stack.urls.metrics}`);
  say(`Prometheus    ${stack.urls.prometheus}`);
  say(`Alertmanager  ${stack.urls.alertmanager}`);
  say(`CA            ${tls.caFile} (every URL above is HTTPS with a certificate of this CA)`);
  say(`credentials   user operator, password in ${tls.password("operator").file} (Prometheus, Alertmanager)`);
  say(`              bearer token in ${tls.serviceEnv.METRICS_BEARER_TOKEN_FILE} (metrics)`);
  say(`promtool      --http.config.file=${stack.httpConfigFiles.prometheus}`);
  say(`amtool        --http.config.file=${stack.httpConfigFiles.alertmanager}`);
  say(`dashboards    npm run render -- --out DIR, then import DIR/dashboards/*.json into Grafana`);
  say(`logs          ${join(args.dir, "logs")}`);
  if (args.load) {
    traffic = startTraffic(stack.urls.app, { caFile: tls.caFile });
    say("generating traffic (--load)");
  }
  say("Ctrl-C stops everything");
}

main().catch((error: unknown) => {
  console.error(`[local] ${(error as Error).message}`);
  process.exit(1);
});
