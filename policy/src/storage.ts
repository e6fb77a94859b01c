// Data at rest and in transit: EFS, RDS and S3 encrypted, RDS never public.
import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { asArray, dependency, givenOrUndefined, isObject, type Props, TYPES } from "./resources";

export const efsEncrypted: ResourceValidationPolicy = {
  name: "efs-encrypted",
  description: "EFS file systems are encrypted at rest, and tasks mount them with encryption in transit.",
  severity: "high",
  remediationSteps:
    'Set `encrypted: true` on the file system (it cannot be changed later: the file system is replaced) and `transitEncryption: "ENABLED"` on the task definition\'s EFS volume.',
  validateResource: (args, reportViolation) => {
    const props = args.props as Props;
    if (args.type === TYPES.efsFileSystem && props["encrypted"] !== true) {
      reportViolation(`EFS file system ${args.name} is not encrypted at rest (encrypted is not true).`);
    }
    if (args.type === TYPES.taskDefinition) {
      for (const volume of asArray(props["volumes"]).filter(isObject)) {
        const efs = volume["efsVolumeConfiguration"];
        if (isObject(efs) && efs["transitEncryption"] !== "ENABLED") {
          reportViolation(
            `Task definition ${args.name} mounts EFS volume ${String(volume["name"])} without encryption in transit (transitEncryption is not ENABLED).`,
          );
        }
      }
    }
  },
};

export const rdsEncrypted: ResourceValidationPolicy = {
  name: "rds-encrypted",
  description: "RDS instances and clusters encrypt their storage.",
  severity: "high",
  remediationSteps:
    "Set `storageEncrypted: true` (an existing database is encrypted by restoring an encrypted copy of a snapshot).",
  validateResource: (args, reportViolation) => {
    if (args.type !== TYPES.rdsInstance && args.type !== TYPES.rdsCluster) return;
    if ((args.props as Props)["storageEncrypted"] !== true) {
      reportViolation(`Database ${args.name} does not encrypt its storage (storageEncrypted is not true).`);
    }
  },
};

export const rdsPrivate: ResourceValidationPolicy = {
  name: "rds-private",
  description: "RDS instances have no public endpoint.",
  severity: "critical",
  remediationSteps:
    "Set `publiclyAccessible: false` and reach the database from its clients' security group inside the VPC.",
  validateResource: (args, reportViolation) => {
    if (args.type !== TYPES.rdsInstance) return;
    if ((args.props as Props)["publiclyAccessible"] === true) {
      reportViolation(`Database ${args.name} is publicly accessible (publiclyAccessible is true).`);
    }
  },
};

interface S3Config {
  algorithms: string[];
}

/** What S3 applies to a bucket without an encryption configuration (every bucket since January 2023). */
const S3_DEFAULT = "AES256";

export const s3Encrypted: StackValidationPolicy = {
  name: "s3-encrypted",
  description:
    "S3 buckets and objects are encrypted with an allowed algorithm (a bucket without an encryption configuration gets S3's default, AES256).",
  severity: "high",
  remediationSteps:
    "Add an aws.s3.BucketServerSideEncryptionConfiguration for the bucket (sseAlgorithm aws:kms with a key of yours when AES256 is not allowed), and set objects' serverSideEncryption to an allowed algorithm or leave it to the bucket's default.",
  configSchema: {
    properties: {
      algorithms: {
        type: "array",
        items: { type: "string", enum: ["AES256", "aws:kms", "aws:kms:dsse"] },
        minItems: 1,
        default: ["AES256", "aws:kms", "aws:kms:dsse"],
        description: "Allowed server-side encryption algorithms.",
      },
    },
  },
  validateStack: (args, reportViolation) => {
    const { algorithms } = args.getConfig<S3Config>();
    const allowed = algorithms.join(", ");
    const configured = new Map<string, string[]>();
    for (const config of args.resources.filter((r) =>
      (TYPES.bucketEncryption as readonly string[]).includes(r.type),
    )) {
      const bucket = dependency(config, "bucket", TYPES.buckets);
      const found = sseAlgorithms((config.props as Props)["rules"]);
      if (bucket !== undefined) configured.set(bucket.urn, found);
      for (const algorithm of found.filter((a) => !algorithms.includes(a))) {
        reportViolation(
          `${config.name} encrypts with ${algorithm}, which is not allowed (allowed: ${allowed}).`,
          config.urn,
        );
      }
    }
    for (const bucket of args.resources.filter((r) =>
      (TYPES.buckets as readonly string[]).includes(r.type),
    )) {
      const inline = givenOrUndefined(bucket.props as Props, "serverSideEncryptionConfiguration");
      const effective =
        configured.get(bucket.urn) ?? (isObject(inline) ? sseAlgorithms(inline["rule"]) : [S3_DEFAULT]);
      for (const algorithm of effective.filter((a) => !algorithms.includes(a))) {
        reportViolation(
          `Bucket ${bucket.name} is encrypted by default with ${algorithm}${
            configured.has(bucket.urn) || isObject(inline)
              ? ""
              : " (S3's default: it has no encryption configuration)"
          }, which is not allowed (allowed: ${allowed}).`,
          bucket.urn,
        );
      }
    }
    for (const object of args.resources.filter((r) =>
      (TYPES.bucketObjects as readonly string[]).includes(r.type),
    )) {
      checkObject(object, algorithms, allowed, reportViolation);
    }
  },
};

function checkObject(
  object: PolicyResource,
  algorithms: string[],
  allowed: string,
  reportViolation: (message: string, urn?: string) => void,
): void {
  const algorithm = givenOrUndefined(object.props as Props, "serverSideEncryption");
  if (typeof algorithm === "string" && algorithm !== "" && !algorithms.includes(algorithm)) {
    reportViolation(
      `Object ${object.name} is written with serverSideEncryption ${algorithm}, which is not allowed (allowed: ${allowed}).`,
      object.urn,
    );
  }
}

function sseAlgorithms(rules: unknown): string[] {
  return asArray(rules)
    .filter(isObject)
    .map((rule) => rule["applyServerSideEncryptionByDefault"])
    .filter(isObject)
    .map((byDefault) => String(byDefault["sseAlgorithm"]));
}
