// The bootstrap stack's settings (namespace `bootstrap`), validated before any resource is made: a bad
// value stops the preview with the key and what is allowed.
export const NAMESPACE = "bootstrap";

export interface BootstrapConfig {
  /** owner/name of the GitHub repository whose workflows may assume the roles. */
  repository: string;
  /** GitHub environments the deploy role trusts (one per stack). */
  environments: string[];
  /** Branch whose scheduled drift check may assume the preview role. */
  mainBranch: string;
  /** `s3`: a state bucket and KMS key of our own; `cloud`: state in Pulumi Cloud. */
  backend: "s3" | "cloud";
  /** An existing GitHub OIDC provider of the account (there can be only one per URL). */
  oidcProviderArn: string | undefined;
  /** Value of the `project` tag of the application stack's resources: the deploy role's IAM scope. */
  projectTag: string;
}

export class BootstrapConfigError extends Error {}

const REPOSITORY = /^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/;
const NAME = /^[A-Za-z0-9._-]+$/;
const OIDC_ARN = /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/;

/** `get(key)`: the raw value of `bootstrap:<key>` (structured values as JSON text). */
export function parseBootstrapConfig(get: (key: string) => string | undefined): BootstrapConfig {
  const errors: string[] = [];
  const fail = (key: string, what: string, value: unknown) => {
    errors.push(`${NAMESPACE}:${key} must be ${what}, got ${JSON.stringify(value)}`);
  };

  const repository = get("repository");
  if (repository === undefined || !REPOSITORY.test(repository))
    fail("repository", "owner/name of a GitHub repository", repository);

  let environments = ["dev", "prod"];
  const rawEnvironments = get("environments");
  if (rawEnvironments !== undefined) {
    const parsed: unknown = JSON.parse(rawEnvironments);
    if (
      Array.isArray(parsed) &&
      parsed.length > 0 &&
      parsed.every((e) => typeof e === "string" && NAME.test(e))
    ) {
      environments = parsed as string[];
    } else fail("environments", "a non-empty list of GitHub environment names", parsed);
  }

  const mainBranch = get("mainBranch") ?? "main";
  if (!NAME.test(mainBranch)) fail("mainBranch", "a branch name", mainBranch);

  const backend = get("backend") ?? "s3";
  if (backend !== "s3" && backend !== "cloud") fail("backend", '"s3" or "cloud"', backend);

  const oidcProviderArn = get("oidcProviderArn");
  if (oidcProviderArn !== undefined && !OIDC_ARN.test(oidcProviderArn)) {
    fail(
      "oidcProviderArn",
      "the ARN of the account's token.actions.githubusercontent.com provider",
      oidcProviderArn,
    );
  }

  const projectTag = get("projectTag") ?? "showcase-monitoring";
  if (!NAME.test(projectTag)) fail("projectTag", "a tag value", projectTag);

  if (errors.length > 0) throw new BootstrapConfigError(errors.join("\n"));
  return {
    repository: repository ?? "",
    environments,
    mainBranch,
    backend: backend as "s3" | "cloud",
    oidcProviderArn,
    projectTag,
  };
}
