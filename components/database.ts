// The app's PostgreSQL on RDS: private, encrypted, reachable only from the app's tasks, master
// password generated and rotated by RDS in Secrets Manager (never seen by Pulumi). The app gets
// DATABASE_URL (no password) and DATABASE_PASSWORD as ECS secrets.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { allowTcp } from "./security-groups";
import type { Tags } from "./tags";

/** DATABASE_SSL: how the service connects to PostgreSQL. */
export enum DatabaseSsl {
  /** Plain TCP (a database on the same host only). */
  Disable = "disable",
  /** TLS, the server's certificate not verified. */
  Require = "require",
  /** TLS, the certificate verified against the CA and the host name. */
  VerifyFull = "verify-full",
}

export interface RdsDatabaseArgs {
  /** Name of the database created on the instance. Default "showcase". */
  databaseName?: string;
  /** Master user name (its password is generated and kept by RDS). Default "showcase". */
  username?: string;
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

export const RDS_DATABASE_DEFAULTS = {
  databaseName: "showcase",
  username: "showcase",
  instanceClass: "db.t4g.micro",
  allocatedStorageGb: 20,
  multiAz: false,
  backupRetentionDays: 7,
  deletionProtection: true,
  engineVersion: "16",
} as const;

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
  const d = RDS_DATABASE_DEFAULTS;
  const dbName = args.databaseName ?? d.databaseName;
  const dbUser = args.username ?? d.username;
  const allocatedStorage = args.allocatedStorageGb ?? d.allocatedStorageGb;
  const deletionProtection = args.deletionProtection ?? d.deletionProtection;
  const instance = new aws.rds.Instance(
    `${name}-db`,
    {
      engine: "postgres",
      engineVersion: args.engineVersion ?? d.engineVersion,
      autoMinorVersionUpgrade: true,
      instanceClass: args.instanceClass ?? d.instanceClass,
      storageType: "gp3",
      allocatedStorage,
      maxAllocatedStorage: allocatedStorage * 4,
      storageEncrypted: true,
      dbName,
      username: dbUser,
      manageMasterUserPassword: true,
      dbSubnetGroupName: subnetGroup.name,
      vpcSecurityGroupIds: [group.id],
      publiclyAccessible: false,
      multiAz: args.multiAz ?? d.multiAz,
      backupRetentionPeriod: args.backupRetentionDays ?? d.backupRetentionDays,
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
    pulumi.interpolate`postgres://${dbUser}@${instance.address}:${instance.port}/${dbName}`,
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
    if (arn === undefined) {
      throw new pulumi.ResourceError(
        `${name}: RDS did not report its managed master user secret`,
        opts.parent,
      );
    }
    return `${arn}:password::`;
  });
  return { instance, urlSecret, passwordValueFrom };
}
