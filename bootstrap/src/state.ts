// Pulumi state without Pulumi Cloud: a versioned, private, TLS-only S3 bucket encrypted with a KMS
// key of ours, which is also the stacks' secrets provider (awskms://). Both are protected: deleting
// them would orphan every stack.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export const KEY_ALIAS = "alias/showcase-monitoring-pulumi";

export interface StateStore {
  bucket: aws.s3.Bucket;
  key: aws.kms.Key;
}

export function stateStore(tags: Record<string, string>): StateStore {
  const protect = { protect: true };
  const key = new aws.kms.Key(
    "pulumi-state",
    {
      description: "Pulumi state and secrets of showcase-monitoring",
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      tags,
    },
    protect,
  );
  new aws.kms.Alias("pulumi-state", { name: KEY_ALIAS, targetKeyId: key.arn });

  const bucket = new aws.s3.Bucket("pulumi-state", { tags }, protect);
  new aws.s3.BucketVersioning("pulumi-state", {
    bucket: bucket.id,
    versioningConfiguration: { status: "Enabled" },
  });
  new aws.s3.BucketServerSideEncryptionConfiguration("pulumi-state", {
    bucket: bucket.id,
    rules: [
      {
        applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn },
        bucketKeyEnabled: true,
      },
    ],
  });
  new aws.s3.BucketPublicAccessBlock("pulumi-state", {
    bucket: bucket.id,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });
  new aws.s3.BucketOwnershipControls("pulumi-state", {
    bucket: bucket.id,
    rule: { objectOwnership: "BucketOwnerEnforced" },
  });
  // Old checkpoints are kept a while for recovery (`pulumi stack import` of an older version).
  new aws.s3.BucketLifecycleConfiguration("pulumi-state", {
    bucket: bucket.id,
    rules: [
      {
        id: "expire-old-checkpoints",
        status: "Enabled",
        filter: {},
        noncurrentVersionExpiration: { noncurrentDays: 90 },
      },
    ],
  });
  new aws.s3.BucketPolicy("pulumi-state", {
    bucket: bucket.id,
    policy: pulumi.jsonStringify({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "TlsOnly",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: [bucket.arn, pulumi.interpolate`${bucket.arn}/*`],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
      ],
    }),
  });
  return { bucket, key };
}
