// The two roles of the pipeline. Preview (pull requests, drift checks): read-only, and unable to read
// secret values even where ReadOnlyAccess would. Deploy (jobs of the stack's GitHub environment):
// the services the stack uses, IAM only on roles tagged with the stack's project, and no hand on the
// state bucket's or key's own settings.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { StateStore } from "./state";

/** Services the application stack creates resources in (index.ts and the components). */
export const DEPLOY_SERVICES = [
  "application-autoscaling",
  "aps",
  "cloudwatch",
  "ec2",
  "ecr",
  "ecs",
  "elasticfilesystem",
  "elasticloadbalancing",
  "logs",
  "rds",
  "route53",
  "s3",
  "secretsmanager",
  "servicediscovery",
];

/** AWS services that create a service-linked role on first use by the stack. */
const SERVICE_LINKED = [
  "ecs.amazonaws.com",
  "elasticloadbalancing.amazonaws.com",
  "rds.amazonaws.com",
  "ecs.application-autoscaling.amazonaws.com",
  "elasticfilesystem.amazonaws.com",
];

/** The only managed policy the components attach (the ECS execution role's). */
const ATTACHABLE = ["arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"];

const SECRET_READS = [
  "secretsmanager:GetSecretValue",
  "ssm:GetParameter",
  "ssm:GetParameters",
  "ssm:GetParametersByPath",
  "ssm:GetParameterHistory",
];

type Statement = Record<string, unknown>;

function document(statements: pulumi.Input<Statement>[]): pulumi.Output<string> {
  return pulumi.jsonStringify({ Version: "2012-10-17", Statement: statements });
}

function stateStatements(state: StateStore | undefined, write: boolean): Statement[] {
  if (state === undefined) return [];
  return [
    {
      Sid: "StateBucketList",
      Effect: "Allow",
      Action: ["s3:ListBucket", "s3:GetBucketLocation"],
      Resource: state.bucket.arn,
    },
    {
      Sid: "StateObjects",
      Effect: "Allow",
      Action: write ? ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"] : ["s3:GetObject"],
      Resource: pulumi.interpolate`${state.bucket.arn}/*`,
    },
    {
      Sid: "StateKey",
      Effect: "Allow",
      Action: write
        ? ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:DescribeKey"]
        : ["kms:Decrypt", "kms:DescribeKey"],
      Resource: state.key.arn,
    },
  ];
}

/** A role GitHub's workflows assume, with its one inline policy. */
function pipelineRole(
  name: string,
  args: {
    description: string;
    trustPolicy: pulumi.Input<string>;
    maxSessionDuration: number;
    statements: pulumi.Input<Statement>[];
    tags: Record<string, string>;
  },
): aws.iam.Role {
  const role = new aws.iam.Role(name, {
    description: args.description,
    assumeRolePolicy: args.trustPolicy,
    maxSessionDuration: args.maxSessionDuration,
    tags: args.tags,
  });
  new aws.iam.RolePolicy(name, { role: role.id, policy: document(args.statements) });
  return role;
}

export function previewRole(
  trustPolicy: pulumi.Input<string>,
  state: StateStore | undefined,
  tags: Record<string, string>,
): aws.iam.Role {
  const role = pipelineRole("pulumi-preview", {
    description: "pulumi preview from pull requests and drift checks: read-only",
    trustPolicy,
    maxSessionDuration: 3600,
    statements: [
      ...stateStatements(state, false),
      { Sid: "NoSecretValues", Effect: "Deny", Action: SECRET_READS, Resource: "*" },
      ...(state === undefined
        ? []
        : [{ Sid: "DecryptStateOnly", Effect: "Deny", Action: "kms:Decrypt", NotResource: state.key.arn }]),
    ],
    tags,
  });
  new aws.iam.RolePolicyAttachment("pulumi-preview-read-only", {
    role: role.name,
    policyArn: aws.iam.ManagedPolicy.ReadOnlyAccess,
  });
  return role;
}

export function deployRole(
  trustPolicy: pulumi.Input<string>,
  state: StateStore | undefined,
  projectTag: string,
  tags: Record<string, string>,
): aws.iam.Role {
  const ownRoles = { StringEquals: { "iam:ResourceTag/project": projectTag } };
  return pipelineRole("pulumi-deploy", {
    description: "pulumi up from the stacks' GitHub environments",
    trustPolicy,
    // A first prod deployment (Multi-AZ RDS, NAT gateways) outlasts an hour.
    maxSessionDuration: 7200,
    tags,
    statements: [
      ...stateStatements(state, true),
      { Sid: "StackServices", Effect: "Allow", Action: DEPLOY_SERVICES.map((s) => `${s}:*`), Resource: "*" },
      {
        Sid: "Lookups",
        Effect: "Allow",
        Action: [
          "acm:DescribeCertificate",
          "acm:ListCertificates",
          "kms:DescribeKey",
          "sts:GetCallerIdentity",
          "tag:GetResources",
        ],
        Resource: "*",
      },
      { Sid: "IamRead", Effect: "Allow", Action: ["iam:Get*", "iam:List*"], Resource: "*" },
      {
        Sid: "CreateTaggedRoles",
        Effect: "Allow",
        Action: ["iam:CreateRole", "iam:TagRole"],
        Resource: "*",
        Condition: { StringEquals: { "aws:RequestTag/project": projectTag } },
      },
      {
        Sid: "ManageOwnRoles",
        Effect: "Allow",
        Action: [
          "iam:DeleteRole",
          "iam:UpdateRole",
          "iam:UpdateRoleDescription",
          "iam:UpdateAssumeRolePolicy",
          "iam:PutRolePolicy",
          "iam:DeleteRolePolicy",
          "iam:TagRole",
          "iam:UntagRole",
        ],
        Resource: "*",
        Condition: ownRoles,
      },
      {
        Sid: "AttachExecutionPolicyOnly",
        Effect: "Allow",
        Action: ["iam:AttachRolePolicy", "iam:DetachRolePolicy"],
        Resource: "*",
        Condition: { ...ownRoles, ArnEquals: { "iam:PolicyARN": ATTACHABLE } },
      },
      {
        Sid: "PassRolesToEcsTasks",
        Effect: "Allow",
        Action: "iam:PassRole",
        Resource: "*",
        Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
      },
      {
        Sid: "ServiceLinkedRoles",
        Effect: "Allow",
        Action: "iam:CreateServiceLinkedRole",
        Resource: "*",
        Condition: { StringEquals: { "iam:AWSServiceName": SERVICE_LINKED } },
      },
      ...(state === undefined
        ? []
        : [
            {
              Sid: "StateBucketSettingsStay",
              Effect: "Deny",
              Action: [
                "s3:DeleteBucket",
                "s3:PutBucketPolicy",
                "s3:DeleteBucketPolicy",
                "s3:PutBucketVersioning",
                "s3:PutEncryptionConfiguration",
                "s3:PutLifecycleConfiguration",
                "s3:PutBucketPublicAccessBlock",
              ],
              Resource: state.bucket.arn,
            },
            {
              Sid: "StateKeyStays",
              Effect: "Deny",
              Action: ["kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:PutKeyPolicy"],
              Resource: state.key.arn,
            },
          ]),
    ],
  });
}
