// Persistent storage for one single-writer Fargate task: an encrypted EFS file system with backups,
// reachable on NFS only from the task's security group, mounted through an access point that maps
// every client to the process's uid (no root squash surprises) over TLS with IAM authorization.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument } from "./iam";
import { allowTcp } from "./security-groups";
import type { Tags } from "./tags";

export interface EfsVolumeArgs {
  vpcId: pulumi.Input<string>;
  /** One mount target per subnet (one per AZ). */
  subnetIds: pulumi.Input<string>[];
  /** The tasks' security group: the only NFS client. */
  clientSecurityGroupId: pulumi.Input<string>;
  /** Owner of the access point's root directory and identity of every client. */
  uid: number;
  gid: number;
  /** Directory on the file system, e.g. /prometheus. */
  path: string;
  tags: Tags;
}

export interface EfsVolume {
  fileSystem: aws.efs.FileSystem;
  accessPoint: aws.efs.AccessPoint;
  /** The task definition volume (name `data`). */
  volume: aws.types.input.ecs.TaskDefinitionVolume;
  /** Task role policy allowing to mount and write through the access point. */
  clientPolicy: pulumi.Output<string>;
  /** Mount targets: the volume is usable once they exist. */
  mountTargets: aws.efs.MountTarget[];
}

export const EFS_VOLUME_NAME = "data";

export function efsVolume(name: string, args: EfsVolumeArgs, opts: pulumi.CustomResourceOptions): EfsVolume {
  const { tags } = args;
  const fileSystem = new aws.efs.FileSystem(
    `${name}-efs`,
    { encrypted: true, performanceMode: "generalPurpose", throughputMode: "elastic", tags },
    opts,
  );
  new aws.efs.BackupPolicy(
    `${name}-efs-backup`,
    { fileSystemId: fileSystem.id, backupPolicy: { status: "ENABLED" } },
    opts,
  );
  const nfs = new aws.ec2.SecurityGroup(
    `${name}-efs`,
    { vpcId: args.vpcId, description: `${name} EFS mount targets`, tags },
    opts,
  );
  allowTcp(
    `${name}-efs-nfs`,
    {
      securityGroupId: nfs.id,
      port: 2049,
      from: { securityGroupId: args.clientSecurityGroupId },
      description: "NFS from the tasks",
      tags,
    },
    opts,
  );
  const mountTargets = args.subnetIds.map(
    (subnetId, index) =>
      new aws.efs.MountTarget(
        `${name}-efs-${index}`,
        { fileSystemId: fileSystem.id, subnetId, securityGroups: [nfs.id] },
        opts,
      ),
  );
  const accessPoint = new aws.efs.AccessPoint(
    `${name}-efs`,
    {
      fileSystemId: fileSystem.id,
      posixUser: { uid: args.uid, gid: args.gid },
      rootDirectory: {
        path: args.path,
        creationInfo: { ownerUid: args.uid, ownerGid: args.gid, permissions: "0750" },
      },
      tags,
    },
    opts,
  );
  // IAM decides who mounts (the task role's policy below); nobody gets in without TLS.
  const account = aws.getCallerIdentityOutput({}, opts).accountId;
  new aws.efs.FileSystemPolicy(
    `${name}-efs`,
    {
      fileSystemId: fileSystem.id,
      policy: policyDocument([
        {
          Effect: "Deny",
          Principal: { AWS: "*" },
          Action: ["*"],
          Resource: fileSystem.arn,
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
        {
          Effect: "Allow",
          Principal: { AWS: pulumi.interpolate`arn:aws:iam::${account}:root` },
          Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
          Resource: fileSystem.arn,
          Condition: { StringEquals: { "elasticfilesystem:AccessPointArn": accessPoint.arn } },
        },
      ]),
    },
    opts,
  );
  return {
    fileSystem,
    accessPoint,
    mountTargets,
    volume: {
      name: EFS_VOLUME_NAME,
      efsVolumeConfiguration: {
        fileSystemId: fileSystem.id,
        transitEncryption: "ENABLED",
        authorizationConfig: { accessPointId: accessPoint.id, iam: "ENABLED" },
      },
    },
    clientPolicy: policyDocument([
      {
        Effect: "Allow",
        Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
        Resource: fileSystem.arn,
        Condition: { StringEquals: { "elasticfilesystem:AccessPointArn": accessPoint.arn } },
      },
    ]),
  };
}
