// The app's PostgreSQL on RDS: private, encrypted, reachable only from the app's tasks, master
// password generated and rotated by RDS in Secrets Manager (never seen by Pulumi). The app gets
// DATABASE_URL (no password) and DATABASE_PASSWORD as ECS secrets.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { allowTcp } from "./security-groups";
import type { Tags } from "./tags";

export interface RdsDatabaseArgs {
  /** Default db.t4g.micro. */
  instanceClass?: string;
  /** GiB of gp3 storage; autoscaling up to 4x. Default 20. */
  allocatedStorageGb?: number;
  /** A standby in another AZ. Default false. */
  multiAz?: boolean;
  /** Days of automated backups (1-35). Default 7. */
  backupRetentionDays?: number;
  /** Refuse deletion, and keep a final snapshot. Default true. */
  deletionProtection?: boolean;
  /** PostgreSQL major (minor upgrades are automatic). Default "16". */
  engineVersion?: string;
}

export interface RdsDatabase {
  instance: aws.rds.Instance;
  /** Secrets Manager secret holding DATABASE_URL (without password). */
  urlSecret: aws.secretsmanager.Secret;
  /** ECS `valueFrom` of the password: the `password` key of the RDS-managed secret. */
  passwordValueFrom: pulumi.Output<string>;
}

const DB_NAME = "showcase";
const DB_USER = "showcase";

export function rdsDatabase(
  name: string,
  args: RdsDatabaseArgs & {
    vpcId: pulumi.Input<string>;
    subnetIds: pulumi.Input<string>[];
    clientSecurityGroupId: pulumi.Input<string>;
    tags: Tags;
  },
  opts: pulumi.CustomResourceOptions,
): RdsDatabase {
  const { tags } = args;
  const group = new aws.ec2.SecurityGroup(
    `${name}-db`,
    { vpcId: args.vpcId, description: `${name} PostgreSQL`, tags },
    opts,
  );
  allowTcp(
    `${name}-db-from-tasks`,
    {
      securityGroupId: group.id,
      port: 5432,
      from: { securityGroupId: args.clientSecurityGroupId },
      description: "PostgreSQL from the app tasks",
      tags,
    },
    opts,
  );
  const subnetGroup = new aws.rds.SubnetGroup(`${name}-db`, { subnetIds: args.subnetIds, tags }, opts);
  const allocatedStorage = args.allocatedStorageGb ?? 20;
  const deletionProtection = args.deletionProtection ?? true;
  const instance = new aws.rds.Instance(
    `${name}-db`,
    {
      engine: "postgres",
      engineVersion: args.engineVersion ?? "16",
      autoMinorVersionUpgrade: true,
      instanceClass: args.instanceClass ?? "db.t4g.micro",
      storageType: "gp3",
      allocatedStorage,
      maxAllocatedStorage: allocatedStorage * 4,
      storageEncrypted: true,
      dbName: DB_NAME,
      username: DB_USER,
      manageMasterUserPassword: true,
      dbSubnetGroupName: subnetGroup.name,
      vpcSecurityGroupIds: [group.id],
      publiclyAccessible: false,
      multiAz: args.multiAz ?? false,
      backupRetentionPeriod: args.backupRetentionDays ?? 7,
      deletionProtection,
      skipFinalSnapshot: !deletionProtection,
      ...(deletionProtection
        ? { finalSnapshotIdentifier: `${pulumi.getProject()}-${pulumi.getStack()}-${name}-final` }
        : {}),
      copyTagsToSnapshot: true,
      enabledCloudwatchLogsExports: ["postgresql"],
      tags,
    },
    opts,
  );
  const url = pulumi.secret(
    pulumi.interpolate`postgres://${DB_USER}@${instance.address}:${instance.port}/${DB_NAME}`,
  );
  const urlSecret = new aws.secretsmanager.Secret(
    `${name}-database-url`,
    { description: `DATABASE_URL of ${name} (the password is in the RDS-managed secret)`, tags },
    opts,
  );
  new aws.secretsmanager.SecretVersion(
    `${name}-database-url`,
    { secretId: urlSecret.id, secretString: url },
    opts,
  );
  const passwordValueFrom = instance.masterUserSecrets.apply((secrets) => {
    const arn = secrets[0]?.secretArn;
    if (arn === undefined) throw new Error(`${name}: RDS did not report its managed master user secret`);
    return `${arn}:password::`;
  });
  return { instance, urlSecret, passwordValueFrom };
}
