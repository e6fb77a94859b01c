// The sidecar that lets Prometheus see every task of the services it scrapes: the pinned aws-cli
// image runs the generators' Cloud Map discovery script and writes one `file_sd` file per service
// into a task volume that the Prometheus container reads. Its task role may call
// DiscoverInstances and nothing else.
import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument } from "./iam";
import { images } from "./images";
import {
  CLOUD_MAP_DISCOVERY_SCRIPT,
  CLOUD_MAP_TARGETS_QUERY,
  DISCOVERY_DIR,
  discoveryTargetsVariable,
} from "./monitoring";

const VOLUME = "discovery";
const CONTAINER = "cloud-map-discovery";
/** How often the targets are refreshed: a new task is scraped within about this long. */
const INTERVAL_SECONDS = 15;

export interface DiscoveredServiceArgs {
  namespaceName: pulumi.Input<string>;
  serviceName: pulumi.Input<string>;
  /** The port every target is scraped on. */
  port: number;
  /** Names its file: `<DISCOVERY_DIR>/<job>.json`. */
  job: string;
}

export interface DiscoverySidecar {
  container: aws.ecs.ContainerDefinition;
  volume: aws.types.input.ecs.TaskDefinitionVolume;
  /** The Prometheus container's side: the targets, read-only. */
  mountPoint: aws.ecs.MountPoint;
  /** The file of each service's targets, by job, for `file_sd_configs`. */
  files: Record<string, string>;
  /** Task role policy: DiscoverInstances (it takes no resource-level permissions). */
  policy: pulumi.Output<string>;
}

export function discoverySidecar(
  services: DiscoveredServiceArgs[],
  region: pulumi.Input<string>,
): DiscoverySidecar {
  const files = Object.fromEntries(services.map((s) => [s.job, `${DISCOVERY_DIR}/${s.job}.json`]));
  const targets = pulumi
    .all(services.map((s) => pulumi.all([s.namespaceName, s.serviceName])))
    .apply((names) =>
      discoveryTargetsVariable(
        names.map(([namespace, service], i) => ({
          namespace,
          service,
          port: services[i]?.port ?? 0,
          file: files[services[i]?.job ?? ""] ?? "",
        })),
      ),
    );
  return {
    container: {
      name: CONTAINER,
      image: images.awsCli,
      // The files stay valid if the sidecar stops; Prometheus alerts when they go stale.
      essential: false,
      entryPoint: ["/bin/sh", "-c"],
      command: [CLOUD_MAP_DISCOVERY_SCRIPT],
      environment: [
        { name: "TARGETS", value: targets },
        { name: "QUERY", value: CLOUD_MAP_TARGETS_QUERY },
        { name: "INTERVAL_SECONDS", value: String(INTERVAL_SECONDS) },
        { name: "AWS_REGION", value: region },
      ],
      mountPoints: [{ sourceVolume: VOLUME, containerPath: DISCOVERY_DIR }],
    },
    volume: { name: VOLUME },
    mountPoint: { sourceVolume: VOLUME, containerPath: DISCOVERY_DIR, readOnly: true },
    files,
    policy: policyDocument([
      { Effect: "Allow", Action: ["servicediscovery:DiscoverInstances"], Resource: "*" },
    ]),
  };
}
