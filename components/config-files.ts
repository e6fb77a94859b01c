// Generated configuration files delivered to a task without a custom image: the files go to a
// private S3 bucket under a prefix named by their SHA-256, and an init container (aws-cli, pinned)
// copies that prefix into a task volume before the main container starts. A change of any file
// changes the prefix, hence the task definition, hence ECS rolls a new task.
// See docs/decisions/0002-config-delivery.md.
import { createHash } from "node:crypto";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument } from "./iam";
import { images } from "./images";
import type { Tags } from "./tags";

const CONFIG_VOLUME = "config";
const INIT_CONTAINER = "config-init";

/** A secret written to a file of the config volume by the init container. */
export interface SecretFile {
  /** Path relative to the volume, e.g. secrets/slack_api_url. */
  path: string;
  /** Secrets Manager ARN (optionally with `:json-key::`), injected into the init container only. */
  valueFrom: pulumi.Input<string>;
}

export interface ConfigFilesArgs {
  /** Relative path → content. */
  files: Record<string, pulumi.Input<string>>;
  /** Uid that must own secret files (the main container's user). */
  ownerUid: number;
  secretFiles?: SecretFile[];
  /** Changes with the secret files' content (a certificate's fingerprint): rolls the tasks. */
  version?: pulumi.Input<string>;
  tags: Tags;
}

export interface ConfigFiles {
  bucket: aws.s3.Bucket;
  /** SHA-256 of the files (paths and contents): the S3 prefix. */
  hash: pulumi.Output<string>;
  objects: aws.s3.BucketObjectv2[];
  /** Task role policy: read the bucket. */
  readPolicy: pulumi.Output<string>;
  /** The init container; the main container must `dependsOn` it with condition SUCCESS. */
  initContainer: aws.ecs.ContainerDefinition;
  /** Task volume shared by the init and main containers. */
  volume: aws.types.input.ecs.TaskDefinitionVolume;
}

/** SHA-256 over sorted (path, content) pairs. */
export function filesHash(files: Record<string, string>): string {
  const hash = createHash("sha256");
  for (const path of Object.keys(files).sort()) {
    hash.update(`${path}\0${files[path]}\0`);
  }
  return hash.digest("hex");
}

function envName(path: string): string {
  return `SECRET_${path.replace(/[^A-Za-z0-9]/g, "_").toUpperCase()}`;
}

/** A public file the init container downloads over HTTPS (e.g. a CA bundle), checked to be PEM. */
export interface DownloadedFile {
  url: string;
  /** Path relative to the volume. */
  path: string;
}

/**
 * Shell script of the init container: copy the S3 files (when there are), download the public
 * files, then write secrets readable by their owner only.
 */
function initScript(
  secretFiles: SecretFile[],
  ownerUid: number,
  fromS3: boolean,
  downloads: DownloadedFile[],
): string {
  const lines = ["set -eu"];
  if (fromS3) lines.push('aws s3 cp --recursive --only-show-errors "$CONFIG_URI" /config/');
  for (const file of downloads) {
    const target = `/config/${file.path}`;
    lines.push(
      `mkdir -p "$(dirname ${target})"`,
      `curl -fsS --retry 3 -o ${target} ${file.url}`,
      `grep -q "BEGIN CERTIFICATE" ${target}`,
      `chmod 644 ${target}`,
    );
  }
  for (const file of secretFiles) {
    const target = `/config/${file.path}`;
    lines.push(
      `mkdir -p "$(dirname ${target})"`,
      `(umask 077; printf '%s' "$${envName(file.path)}" > ${target})`,
      `chown ${ownerUid} ${target}`,
    );
  }
  return lines.join("\n");
}

/**
 * An init container with no S3 files: secrets written as files and public files downloaded, for a
 * main container whose image needs them (the app's TLS files and CA bundle). `version` goes into
 * its environment: a changed value (a renewed certificate) is a new task definition.
 */
export function filesInitContainer(args: {
  secretFiles: SecretFile[];
  downloads?: DownloadedFile[];
  ownerUid: number;
  version?: pulumi.Input<string>;
}): { initContainer: aws.ecs.ContainerDefinition; volume: aws.types.input.ecs.TaskDefinitionVolume } {
  return {
    initContainer: {
      name: INIT_CONTAINER,
      image: images.awsCli,
      essential: false,
      entryPoint: ["/bin/sh", "-c"],
      command: [initScript(args.secretFiles, args.ownerUid, false, args.downloads ?? [])],
      environment: args.version === undefined ? [] : [{ name: "FILES_VERSION", value: args.version }],
      secrets: args.secretFiles.map((file) => ({ name: envName(file.path), valueFrom: file.valueFrom })),
      mountPoints: [{ sourceVolume: CONFIG_VOLUME, containerPath: "/config" }],
    },
    volume: { name: CONFIG_VOLUME },
  };
}

/** The main container's side: the files read-only at `containerPath`, once the copy has succeeded. */
export function readConfigAt(containerPath: string): {
  mountPoint: aws.ecs.MountPoint;
  dependsOn: aws.ecs.ContainerDependency[];
} {
  return {
    mountPoint: { sourceVolume: CONFIG_VOLUME, containerPath, readOnly: true },
    dependsOn: [{ containerName: INIT_CONTAINER, condition: "SUCCESS" }],
  };
}

export function configFiles(
  name: string,
  args: ConfigFilesArgs,
  opts: pulumi.CustomResourceOptions,
): ConfigFiles {
  const { tags } = args;
  const bucket = new aws.s3.Bucket(`${name}-config`, { forceDestroy: true, tags }, opts);
  new aws.s3.BucketPublicAccessBlock(
    `${name}-config`,
    {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    },
    opts,
  );
  const paths = Object.keys(args.files).sort();
  const hash = pulumi.output(args.files).apply((files) => filesHash(files));
  const objects = paths.map(
    (path) =>
      new aws.s3.BucketObjectv2(
        `${name}-config-${path.replace(/[^A-Za-z0-9.-]/g, "-")}`,
        {
          bucket: bucket.id,
          key: pulumi.interpolate`${hash}/${path}`,
          content: args.files[path] ?? "",
          contentType: "text/plain; charset=utf-8",
          serverSideEncryption: "AES256",
          tags,
        },
        opts,
      ),
  );
  const secretFiles = args.secretFiles ?? [];
  const initContainer: aws.ecs.ContainerDefinition = {
    name: INIT_CONTAINER,
    image: images.awsCli,
    essential: false,
    entryPoint: ["/bin/sh", "-c"],
    command: [initScript(secretFiles, args.ownerUid, true, [])],
    // The URI carries the hash: a config change is a task definition change; so does `version`.
    environment: [
      { name: "CONFIG_URI", value: pulumi.interpolate`s3://${bucket.bucket}/${hash}/` },
      ...(args.version === undefined ? [] : [{ name: "FILES_VERSION", value: args.version }]),
    ],
    secrets: secretFiles.map((file) => ({ name: envName(file.path), valueFrom: file.valueFrom })),
    mountPoints: [{ sourceVolume: CONFIG_VOLUME, containerPath: "/config" }],
  };
  return {
    bucket,
    hash,
    objects,
    initContainer,
    volume: { name: CONFIG_VOLUME },
    readPolicy: policyDocument([
      { Effect: "Allow", Action: ["s3:ListBucket"], Resource: bucket.arn },
      { Effect: "Allow", Action: ["s3:GetObject"], Resource: pulumi.interpolate`${bucket.arn}/*` },
    ]),
  };
}
