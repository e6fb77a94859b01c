// GitHub Actions' OIDC identity provider and the trust policies of roles its workflows assume. A
// workflow's token names where it runs in `sub`: `repo:<owner>/<name>:pull_request` for a pull
// request, `...:environment:<env>` for a job with an environment, `...:ref:refs/heads/<branch>`
// otherwise. Each role trusts exactly the subjects it is for, and only tokens meant for AWS STS.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
const AUDIENCE = "sts.amazonaws.com";

export function githubOidcProvider(
  existingArn: string | undefined,
  tags: Record<string, string>,
): pulumi.Output<string> {
  if (existingArn !== undefined) return pulumi.output(existingArn);
  return new aws.iam.OpenIdConnectProvider("github-actions", {
    url: `https://${GITHUB_OIDC_HOST}`,
    clientIdLists: [AUDIENCE],
    tags,
  }).arn;
}

/** Subjects of a repository's pull requests, environments and branch, as GitHub writes them. */
export const subjects = {
  pullRequests: (repository: string) => `repo:${repository}:pull_request`,
  environment: (repository: string, environment: string) => `repo:${repository}:environment:${environment}`,
  branch: (repository: string, branch: string) => `repo:${repository}:ref:refs/heads/${branch}`,
};

/** Trust policy: tokens of `providerArn` for AWS STS whose subject is one of `allowed`. */
export function githubTrustPolicy(
  providerArn: pulumi.Input<string>,
  allowed: string[],
): pulumi.Output<string> {
  return pulumi.jsonStringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Federated: providerArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            [`${GITHUB_OIDC_HOST}:aud`]: AUDIENCE,
            [`${GITHUB_OIDC_HOST}:sub`]: allowed,
          },
        },
      },
    ],
  });
}
