// The bootstrap stack: what the pipeline needs before its first run, made once per AWS account by an
// administrator (README, "One-time set-up"). Composition only; the parts are in src/.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { NAMESPACE, parseBootstrapConfig } from "./src/config";
import { githubOidcProvider, githubTrustPolicy, subjects } from "./src/github-oidc";
import { deployRole, previewRole } from "./src/roles";
import { KEY_ALIAS, stateStore } from "./src/state";

const raw = new pulumi.Config(NAMESPACE);
const config = parseBootstrapConfig((key) => raw.get(key));
const tags = { project: pulumi.getProject(), stack: pulumi.getStack(), component: "bootstrap" };
const region = aws.getRegionOutput().region;

const state = config.backend === "s3" ? stateStore(tags) : undefined;
const provider = githubOidcProvider(config.oidcProviderArn, tags);
const preview = previewRole(
  githubTrustPolicy(provider, [
    subjects.pullRequests(config.repository),
    subjects.branch(config.repository, config.mainBranch),
  ]),
  state,
  tags,
);
const deploy = deployRole(
  githubTrustPolicy(
    provider,
    config.environments.map((environment) => subjects.environment(config.repository, environment)),
  ),
  state,
  config.projectTag,
  tags,
);

export const previewRoleArn = preview.arn;
export const deployRoleArn = deploy.arn;
export const oidcProviderArn = provider;
export const awsRegion = region;
export const backendUrl =
  state === undefined ? undefined : pulumi.interpolate`s3://${state.bucket.bucket}?region=${region}`;
export const secretsProvider =
  state === undefined ? undefined : pulumi.interpolate`awskms://${KEY_ALIAS}?region=${region}`;
