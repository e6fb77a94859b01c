import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Tags } from "./tags";

export interface PolicyStatement {
  Effect: "Allow" | "Deny";
  Action: string[];
  Resource: pulumi.Input<string> | pulumi.Input<string>[];
  Condition?: Record<string, Record<string, pulumi.Input<string> | pulumi.Input<string>[]>>;
  Principal?: Record<string, pulumi.Input<string>>;
}

/** An IAM policy document (JSON) from statements whose resources may be outputs. */
export function policyDocument(statements: PolicyStatement[]): pulumi.Output<string> {
  return pulumi.jsonStringify({ Version: "2012-10-17", Statement: statements });
}

/** A role that ECS tasks of this account (and only this account) can assume. */
export function ecsTasksRole(
  name: string,
  args: { description: string; tags: Tags },
  opts: pulumi.CustomResourceOptions,
): aws.iam.Role {
  const account = aws.getCallerIdentityOutput({}, opts).accountId;
  return new aws.iam.Role(
    name,
    {
      description: args.description,
      assumeRolePolicy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Principal: { Service: "ecs-tasks.amazonaws.com" },
            Action: "sts:AssumeRole",
            // Confused-deputy guard: only ECS acting for this account.
            Condition: { StringEquals: { "aws:SourceAccount": account } },
          },
        ],
      }),
      tags: args.tags,
    },
    opts,
  );
}

/**
 * The Secrets Manager secret ARN of an ECS `valueFrom`, which may name a JSON key
 * (`arn:aws:secretsmanager:region:account:secret:name-AbCdEf:password::`).
 */
export function secretArnOf(valueFrom: string): string {
  return valueFrom.split(":").slice(0, 7).join(":");
}

/**
 * What the execution role needs to inject ECS `secrets`: GetSecretValue on the Secrets Manager
 * secrets and GetParameters on the SSM parameters they name, nothing else.
 */
export function secretReadStatements(valueFroms: string[]): PolicyStatement[] {
  const parameters = valueFroms.filter((ref) => ref.startsWith("arn:") && ref.split(":")[2] === "ssm");
  const secrets = valueFroms.filter((ref) => !parameters.includes(ref)).map(secretArnOf);
  return [
    ...(secrets.length === 0
      ? []
      : [
          {
            Effect: "Allow" as const,
            Action: ["secretsmanager:GetSecretValue"],
            Resource: [...new Set(secrets)],
          },
        ]),
    ...(parameters.length === 0
      ? []
      : [{ Effect: "Allow" as const, Action: ["ssm:GetParameters"], Resource: [...new Set(parameters)] }]),
  ];
}
