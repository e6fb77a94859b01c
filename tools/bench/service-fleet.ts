// Service instances for the Prometheus benchmark: real processes of the built service (as the
// local stack starts it: HTTPS, metrics token), each on ports of its own, sharing one PostgreSQL
// as the tasks of an ECS service share RDS, and each under the local stack's traffic mix.
import { join } from "node:path";
import { localClient, spawnService } from "../local-stack";
import type { LocalTls } from "../local-tls";
import { freePorts } from "../ports";
import { waitFor, waitForHttp, type ManagedProcess } from "../processes";
import { startTraffic, type Traffic, type TrafficStats } from "../traffic";
import type { Cleanup } from "./cleanup";

export interface ServiceInstance {
  /** The instance label the discovery sidecar would give it (a Cloud Map instance id's place). */
  id: string;
  ports: { app: number; metrics: number };
  process: ManagedProcess;
}

// Node's start-up is CPU-bound: a few at a time on 2 cores keeps each within its readiness bound.
const STARTING_AT_ONCE = 4;

export async function startFleet(options: {
  count: number;
  databaseUrl: string;
  tls: LocalTls;
  logDir: string;
  cleanup: Cleanup;
}): Promise<ServiceInstance[]> {
  const { tls } = options;
  const ports = await freePorts(options.count * 2);
  const instances: ServiceInstance[] = [];
  options.cleanup.add("stop the service instances", () =>
    Promise.all(instances.map((i) => i.process.stop())),
  );
  for (let first = 0; first < options.count; first += STARTING_AT_ONCE) {
    const batch = Array.from({ length: Math.min(STARTING_AT_ONCE, options.count - first) }, (_, k) => {
      const n = first + k;
      const own = { app: ports[2 * n]!, metrics: ports[2 * n + 1]! };
      const instance: ServiceInstance = {
        id: `bench-${n + 1}`,
        ports: own,
        process: spawnService({
          name: `service ${n + 1}`,
          ports: own,
          databaseUrl: options.databaseUrl,
          tls,
          logFile: join(options.logDir, `service-${n + 1}.log`),
        }),
      };
      instances.push(instance);
      return waitForHttp(instance.process, `https://127.0.0.1:${instance.ports.app}/ready`, {
        client: localClient(tls, "service"),
      });
    });
    await Promise.all(batch);
  }
  return instances;
}

export interface FleetTraffic {
  stop(): Promise<TrafficStats>;
  /** Resolves once every instance has answered every kind of request the mix sends (4xx too). */
  coversEveryRoute(timeoutMs: number): Promise<void>;
}

// What a round of the mix answers, once each has been seen: 201, 200, 204 (delete), 400, 404.
const EXPECTED_STATUSES = [200, 201, 204, 400, 404];

/** One loop of the traffic mix per instance, pausing `pauseMs` between rounds. */
export function startFleetTraffic(
  instances: ServiceInstance[],
  tls: LocalTls,
  pauseMs: number,
): FleetTraffic {
  const traffic: Traffic[] = instances.map((i) =>
    startTraffic(`https://127.0.0.1:${i.ports.app}`, { caFile: tls.caFile, concurrency: 1, pauseMs }),
  );
  return {
    async stop() {
      const all = await Promise.all(traffic.map((t) => t.stop()));
      const total: TrafficStats = { requests: 0, byStatus: {}, failures: 0 };
      for (const stats of all) {
        total.requests += stats.requests;
        total.failures += stats.failures;
        for (const [status, n] of Object.entries(stats.byStatus)) {
          total.byStatus[Number(status)] = (total.byStatus[Number(status)] ?? 0) + n;
        }
      }
      return total;
    },
    coversEveryRoute: (timeoutMs) =>
      waitFor(
        "every instance to have answered 200, 201, 204, 400 and 404",
        () => {
          const covered = traffic.every((t) =>
            EXPECTED_STATUSES.every((s) => (t.stats.byStatus[s] ?? 0) > 0),
          );
          return Promise.resolve(covered ? true : undefined);
        },
        timeoutMs,
      ).then(() => undefined),
  };
}
