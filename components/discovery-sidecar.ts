// The sidecar that lets Prometheus see every task of a service: the pinned aws-cli image runs the
// generators' Cloud Map discovery script and writes `file_sd` targets into a task volume that the
// Prometheus container reads. Its task role may call DiscoverInstances and nothing else.
import type * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { policyDocument } from "./iam";
import { images } from "./images";
import { CLOUD_MAP_DISCOVERY_SCRIPT, DISCOVERY_DIR, cloudMapTargetsQuery } from "./monitoring";

const VOLUME = "discovery";
const CONTAINER = "cloud-map-discovery";
/** How often the targets are refreshed: a new task is scraped within about this long. */
const INTERVAL_SECONDS = 15;

export interface DiscoverySidecarArgs {
  namespaceName: pulumi.Input<string>;
  serviceName: pulumi.Input<string>;
  /** The port every target is scraped on. */
  port: number;
  /** The task's region (the CLI needs it for Cloud Map). */
  region: pulumi.Input<string>;
}

export interface DiscoverySidecar {
  container: aws.ecs.ContainerDefinition;
  volume: aws.types.input.ecs.TaskDefinitionVolume;
  /** The Prometheus container's side: the targets, read-only. */
  mountPoint: aws.ecs.MountPoint;
  /** The file Prometheus's `file_sd_configs` names. */
  targetsFile: string;
  /** Task role policy: DiscoverInstances (it takes no resource-level permissions). */
  policy: pulumi.Output<string>;
}

export function discoverySidecar(args: DiscoverySidecarArgs): DiscoverySidecar {
  const targetsFile = `${DISCOVERY_DIR}/targets.json`;
  return {
    container: {
      name: CONTAINER,
      image: images.awsCli,
      // The file stays valid if the sidecar stops; Prometheus alerts when it goes stale.
      essential: false,
      entryPoint: ["/bin/sh", "-c"],
      command: [CLOUD_MAP_DISCOVERY_SCRIPT],
      environment: [
        { name: "NAMESPACE", value: args.namespaceName },
        { name: "SERVICE", value: args.serviceName },
        { name: "QUERY", value: cloudMapTargetsQuery(args.port) },
        { name: "TARGETS_FILE", value: targetsFile },
        { name: "INTERVAL_SECONDS", value: String(INTERVAL_SECONDS) },
        { name: "AWS_REGION", value: args.region },
      ],
      mountPoints: [{ sourceVolume: VOLUME, containerPath: DISCOVERY_DIR }],
    },
    volume: { name: VOLUME },
    mountPoint: { sourceVolume: VOLUME, containerPath: DISCOVERY_DIR, readOnly: true },
    targetsFile,
    policy: policyDocument([
      { Effect: "Allow", Action: ["servicediscovery:DiscoverInstances"], Resource: "*" },
    ]),
  };
}
