// The bootstrap program under mocks: state bucket and key, GitHub's OIDC provider, and two roles
// whose trust is scoped to this repository's pull requests, main branch and environments.
import { beforeAll, describe, expect, it, vi } from "vitest";
import { BootstrapConfigError, parseBootstrapConfig } from "../../bootstrap/src/config";
import { find } from "../policy/changes";
import type { ResourceSet, StackResource } from "../policy/resource-set";
import { bootstrapValues, collectBootstrap } from "./bootstrap-stack";

const REPO = "example-org/showcase-monitoring";

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource?: unknown;
  NotResource?: unknown;
  Principal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

function statements(json: unknown): Statement[] {
  return (JSON.parse(String(json)) as { Statement: Statement[] }).Statement;
}

function actions(statement: Statement): string[] {
  return typeof statement.Action === "string" ? [statement.Action] : statement.Action;
}

function rolePolicy(set: ResourceSet, name: string): Statement[] {
  return statements(find(set, "RolePolicy", name).props["policy"]);
}

function trust(set: ResourceSet, role: string): Statement {
  const [statement, ...rest] = statements(find(set, "iam/role:Role", role).props["assumeRolePolicy"]);
  expect(rest).toEqual([]);
  return statement as Statement;
}

describe("the bootstrap stack (S3 backend)", () => {
  let set: ResourceSet;
  beforeAll(async () => {
    vi.resetModules();
    set = await collectBootstrap();
  });

  it("keeps state in a versioned, KMS-encrypted, private, TLS-only bucket, both protected", () => {
    const bucket = find(set, "s3/bucket:Bucket", "pulumi-state");
    const key = find(set, "kms/key:Key", "pulumi-state");
    expect([bucket.protect, key.protect]).toEqual([true, true]);
    expect(key.props).toMatchObject({ enableKeyRotation: true, deletionWindowInDays: 30 });
    const byBucket = (type: string) => {
      const found = find(set, type, "pulumi-state");
      expect(found.propertyDependencies["bucket"]).toEqual([bucket.urn]);
      return found.props;
    };
    expect(byBucket("BucketVersioning")["versioningConfiguration"]).toEqual({ status: "Enabled" });
    expect(byBucket("BucketServerSideEncryptionConfiguration")["rules"]).toEqual([
      {
        applyServerSideEncryptionByDefault: {
          sseAlgorithm: "aws:kms",
          kmsMasterKeyId: "arn:aws:kms:us-east-1:123456789012:pulumi-state",
        },
        bucketKeyEnabled: true,
      },
    ]);
    expect(byBucket("BucketPublicAccessBlock")).toMatchObject({
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    const [tlsOnly] = statements(byBucket("BucketPolicy")["policy"]);
    expect(tlsOnly).toMatchObject({
      Effect: "Deny",
      Action: "s3:*",
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
    expect(find(set, "kms/alias:Alias", "pulumi-state").propertyDependencies["targetKeyId"]).toEqual([
      key.urn,
    ]);
  });

  it("creates GitHub's OIDC provider for AWS STS tokens", () => {
    expect(find(set, "OpenIdConnectProvider", "github-actions").props).toMatchObject({
      url: "https://token.actions.githubusercontent.com",
      clientIdLists: ["sts.amazonaws.com"],
    });
  });

  it("lets only this repository's pull requests and main branch assume the preview role", () => {
    const provider = find(set, "OpenIdConnectProvider", "github-actions");
    expect(trust(set, "pulumi-preview")).toEqual({
      Effect: "Allow",
      Principal: { Federated: `arn:aws:iam:us-east-1:123456789012:github-actions` },
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: {
        StringEquals: {
          "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
          "token.actions.githubusercontent.com:sub": [
            `repo:${REPO}:pull_request`,
            `repo:${REPO}:ref:refs/heads/main`,
          ],
        },
      },
    });
    expect(find(set, "iam/role:Role", "pulumi-preview").propertyDependencies["assumeRolePolicy"]).toEqual([
      provider.urn,
    ]);
  });

  it("lets only jobs of this repository's dev and prod environments assume the deploy role", () => {
    expect(trust(set, "pulumi-deploy").Condition).toEqual({
      StringEquals: {
        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
        "token.actions.githubusercontent.com:sub": [
          `repo:${REPO}:environment:dev`,
          `repo:${REPO}:environment:prod`,
        ],
      },
    });
  });

  it("gives the preview role read-only access, state reads, and no secret values", () => {
    const attachment = find(set, "RolePolicyAttachment", "pulumi-preview-read-only");
    expect(attachment.props["policyArn"]).toBe("arn:aws:iam::aws:policy/ReadOnlyAccess");
    const policy = rolePolicy(set, "pulumi-preview");
    const allowed = policy.filter((s) => s.Effect === "Allow").flatMap(actions);
    expect(allowed.sort()).toEqual([
      "kms:Decrypt",
      "kms:DescribeKey",
      "s3:GetBucketLocation",
      "s3:GetObject",
      "s3:ListBucket",
    ]);
    const denied = policy.filter((s) => s.Effect === "Deny");
    expect(denied.flatMap(actions)).toEqual(
      expect.arrayContaining([
        "secretsmanager:GetSecretValue",
        "ssm:GetParameter",
        "ssm:GetParametersByPath",
        "kms:Decrypt",
      ]),
    );
    expect(denied.find((s) => actions(s).includes("kms:Decrypt"))?.NotResource).toBe(
      "arn:aws:kms:us-east-1:123456789012:pulumi-state",
    );
  });

  it("gives the deploy role the stack's services, IAM on its project's roles only, and keeps the state store's settings out of its reach", () => {
    const policy = rolePolicy(set, "pulumi-deploy");
    const sid = (id: string) => policy.find((s) => s.Sid === id) as Statement;
    expect(actions(sid("StateObjects"))).toEqual(["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]);
    expect(sid("CreateTaggedRoles").Condition).toEqual({
      StringEquals: { "aws:RequestTag/project": "showcase-monitoring" },
    });
    expect(sid("ManageOwnRoles").Condition).toEqual({
      StringEquals: { "iam:ResourceTag/project": "showcase-monitoring" },
    });
    expect(sid("AttachExecutionPolicyOnly").Condition?.["ArnEquals"]).toEqual({
      "iam:PolicyARN": ["arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"],
    });
    expect(sid("PassRolesToEcsTasks").Condition).toEqual({
      StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" },
    });
    expect(policy.filter((s) => s.Effect === "Allow").flatMap(actions)).not.toContain("iam:*");
    expect(sid("StateBucketSettingsStay")).toMatchObject({
      Effect: "Deny",
      Resource: "arn:aws:s3:::pulumi-state-bucket",
    });
    expect(actions(sid("StateKeyStays"))).toContain("kms:ScheduleKeyDeletion");
    expect(find(set, "iam/role:Role", "pulumi-deploy").props["maxSessionDuration"]).toBe(7200);
  });

  it("outputs what the pipeline and the application stacks are configured with", () => {
    expect(set.outputs).toEqual({
      previewRoleArn: "arn:aws:iam:us-east-1:123456789012:pulumi-preview",
      deployRoleArn: "arn:aws:iam:us-east-1:123456789012:pulumi-deploy",
      oidcProviderArn: "arn:aws:iam:us-east-1:123456789012:github-actions",
      awsRegion: "us-east-1",
      backendUrl: "s3://pulumi-state-bucket?region=us-east-1",
      secretsProvider: "awskms://alias/showcase-monitoring-pulumi?region=us-east-1",
    });
  });

  it("tags every resource that takes tags with project, stack and the bootstrap component", () => {
    const tagged = set.resources.filter((r) => r.props["tags"] !== undefined);
    expect(tagged.map((r: StackResource) => `${r.type} ${r.name}`).sort()).toEqual([
      "aws:iam/openIdConnectProvider:OpenIdConnectProvider github-actions",
      "aws:iam/role:Role pulumi-deploy",
      "aws:iam/role:Role pulumi-preview",
      "aws:kms/key:Key pulumi-state",
      "aws:s3/bucket:Bucket pulumi-state",
    ]);
    for (const r of tagged)
      expect(r.props["tags"]).toEqual({
        project: "showcase-monitoring",
        stack: "bootstrap",
        component: "bootstrap",
      });
  });
});

describe("the bootstrap stack with Pulumi Cloud and an existing OIDC provider", () => {
  const existing = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
  let set: ResourceSet;
  beforeAll(async () => {
    vi.resetModules();
    set = await collectBootstrap(
      bootstrapValues({ "bootstrap:backend": "cloud", "bootstrap:oidcProviderArn": existing }),
    );
  });

  it("makes no bucket, key or provider, and the roles trust the existing provider with no state statements", () => {
    expect(set.resources.map((r) => r.type).sort()).toEqual([
      "aws:iam/role:Role",
      "aws:iam/role:Role",
      "aws:iam/rolePolicy:RolePolicy",
      "aws:iam/rolePolicy:RolePolicy",
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    ]);
    expect(trust(set, "pulumi-deploy").Principal).toEqual({ Federated: existing });
    expect(rolePolicy(set, "pulumi-preview").map((s) => s.Sid)).toEqual(["NoSecretValues"]);
    expect(set.outputs["backendUrl"]).toBeUndefined();
    expect(set.outputs["secretsProvider"]).toBeUndefined();
  });
});

describe("the bootstrap configuration", () => {
  const parse = (values: Record<string, string>) => () => parseBootstrapConfig((key) => values[key]);

  it("takes the stack file's values and defaults", () => {
    expect(parseBootstrapConfig((key) => ({ repository: REPO })[key])).toEqual({
      repository: REPO,
      environments: ["dev", "prod"],
      mainBranch: "main",
      backend: "s3",
      oidcProviderArn: undefined,
      projectTag: "showcase-monitoring",
    });
  });

  it("rejects bad values, naming every key at once", () => {
    expect(parse({ repository: "not a repo", backend: "dynamodb", environments: "[]" })).toThrow(
      BootstrapConfigError,
    );
    expect(parse({ repository: "not a repo", backend: "dynamodb", environments: "[]" })).toThrow(
      [
        'bootstrap:repository must be owner/name of a GitHub repository, got "not a repo"',
        "bootstrap:environments must be a non-empty list of GitHub environment names, got []",
        'bootstrap:backend must be "s3" or "cloud", got "dynamodb"',
      ].join("\n"),
    );
    expect(
      parse({ repository: REPO, oidcProviderArn: "arn:aws:iam::123:oidc-provider/example.com" }),
    ).toThrow(
      "bootstrap:oidcProviderArn must be the ARN of the account's token.actions.githubusercontent.com provider",
    );
  });
});
