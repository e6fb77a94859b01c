// ECS tasks: secrets only through `secrets` (never the environment), images pinned, Grafana closed
// to anonymous users and sign-up, no public IP.
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { type ContainerDefinition, containersOf, isObject, type Props, TYPES } from "./resources";

interface SecretsConfig {
  namePattern: string;
  allowedNames: string[];
}

/** Values that are credentials whatever the variable is called. */
const SECRET_VALUES: { what: string; pattern: RegExp }[] = [
  { what: "a URL with a password", pattern: /^[a-z][a-z0-9+.-]*:\/\/[^/@:\s]+:[^/@\s]+@/i },
  { what: "an AWS access key id", pattern: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { what: "a private key", pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
  { what: "a Slack webhook URL", pattern: /hooks\.slack\.com\/services\// },
  { what: "a Slack token", pattern: /\bxox[abposr]-[0-9A-Za-z-]{10,}/ },
];

/** `*_FILE` naming a path (the Docker secrets convention): where a secret is, not the secret. */
const FILE_PATH_VARIABLE = { name: /_FILE$/i, value: /^\/\S*$/ };

export const noSecretsInTaskEnvironment: ResourceValidationPolicy = {
  name: "no-secrets-in-task-environment",
  description:
    "Task definitions pass secrets through `secrets` (Secrets Manager or SSM references), never as plain environment values.",
  severity: "critical",
  remediationSteps:
    "Store the value in Secrets Manager (or SSM SecureString) and reference it from the container's `secrets` ({ name, valueFrom: <ARN> }); let the execution role read exactly that secret.",
  configSchema: {
    properties: {
      namePattern: {
        type: "string",
        description: "Case-insensitive regular expression of variable names that hold secrets.",
        default:
          "PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|ROUTING_?KEY|WEBHOOK|CREDENTIAL",
      },
      allowedNames: {
        type: "array",
        items: { type: "string" },
        default: [],
        description:
          "Variables whose names match but hold no secret (a `*_FILE` variable holding an absolute path needs no entry).",
      },
    },
  },
  validateResource: (args, reportViolation) => {
    if (args.type !== TYPES.taskDefinition) return;
    const { namePattern, allowedNames } = args.getConfig<SecretsConfig>();
    const names = new RegExp(namePattern, "i");
    for (const container of containersOf(args.props as Props)) {
      for (const variable of container.environment ?? []) {
        if (allowedNames.includes(variable.name)) continue;
        const value = String(variable.value ?? "");
        const isPath = FILE_PATH_VARIABLE.name.test(variable.name) && FILE_PATH_VARIABLE.value.test(value);
        // Say why, never what: the value must not reach the preview log.
        const reason =
          names.test(variable.name) && !isPath
            ? "its name says it holds a secret"
            : SECRET_VALUES.find(({ pattern }) => pattern.test(value))?.what;
        if (reason === undefined) continue;
        reportViolation(
          `Task definition ${args.name}, container ${container.name}: environment variable ${variable.name} is plain text in the task definition (${reason}); pass it through \`secrets\`.`,
        );
      }
    }
  },
};

interface ImagesConfig {
  tagPattern: string;
  requireDigest: boolean;
}

/** `repo[:tag][@sha256:digest]`: the tag is a colon after the last slash. */
function parseImage(image: string): { tag: string | undefined; digest: string | undefined } {
  const [name = "", digest] = image.split("@");
  const lastSlash = name.lastIndexOf("/");
  const colon = name.lastIndexOf(":");
  return {
    tag: colon > lastSlash ? name.slice(colon + 1) : undefined,
    digest: digest !== undefined && /^sha256:[0-9a-f]{64}$/.test(digest) ? digest : undefined,
  };
}

export const imagesPinned: ResourceValidationPolicy = {
  name: "images-pinned",
  description: "Containers run pinned images: a digest, or a release tag (no `latest`, no untagged image).",
  severity: "high",
  remediationSteps:
    "Reference the image by an exact release tag (e.g. prom/prometheus:v3.5.0) or by digest (repo@sha256:...); upgrade by changing that one reference in review.",
  configSchema: {
    properties: {
      tagPattern: {
        type: "string",
        description: "Regular expression a tag must match when the image has no digest.",
        default: "^v?[0-9]+\\.[0-9]+\\.[0-9]+([-+._][0-9A-Za-z.-]+)?$",
      },
      requireDigest: {
        type: "boolean",
        default: false,
        description: "Accept digests only (tags can be moved).",
      },
    },
  },
  validateResource: (args, reportViolation) => {
    if (args.type !== TYPES.taskDefinition) return;
    const { tagPattern, requireDigest } = args.getConfig<ImagesConfig>();
    const release = new RegExp(tagPattern);
    for (const container of containersOf(args.props as Props)) {
      const image = container.image ?? "";
      const { tag, digest } = parseImage(image);
      if (digest !== undefined) continue;
      const problem = requireDigest
        ? "it has no digest (requireDigest is on)"
        : tag === undefined
          ? "it has no tag, so it runs whatever `latest` is when the task starts"
          : release.test(tag)
            ? undefined
            : `its tag "${tag}" is not a release (a tag must match ${tagPattern})`;
      if (problem === undefined) continue;
      reportViolation(
        `Task definition ${args.name}, container ${container.name}: image "${image}" is not pinned: ${problem}.`,
      );
    }
  },
};

interface GrafanaConfig {
  imagePattern: string;
  requireExplicit: boolean;
}

/** Grafana settings that must be off, as environment overrides of grafana.ini. */
const GRAFANA_OFF: { variable: string; what: string }[] = [
  { variable: "GF_AUTH_ANONYMOUS_ENABLED", what: "anonymous access" },
  { variable: "GF_USERS_ALLOW_SIGN_UP", what: "sign-up" },
];

export const grafanaNoAnonymousOrSignUp: ResourceValidationPolicy = {
  name: "grafana-no-anonymous-or-sign-up",
  description: "Grafana containers run with anonymous access and user sign-up switched off.",
  severity: "critical",
  remediationSteps:
    'Set GF_AUTH_ANONYMOUS_ENABLED="false" and GF_USERS_ALLOW_SIGN_UP="false" in the Grafana container\'s environment; give people access through teams.',
  configSchema: {
    properties: {
      imagePattern: {
        type: "string",
        description: "Regular expression of the images that are Grafana.",
        default: "(^|/)grafana/grafana(-oss|-enterprise)?([:@]|$)",
      },
      requireExplicit: {
        type: "boolean",
        default: true,
        description:
          'Require both settings to be "false" explicitly, not left to the image\'s grafana.ini defaults.',
      },
    },
  },
  validateResource: (args, reportViolation) => {
    if (args.type !== TYPES.taskDefinition) return;
    const { imagePattern, requireExplicit } = args.getConfig<GrafanaConfig>();
    const grafana = new RegExp(imagePattern);
    for (const container of containersOf(args.props as Props).filter((c) => grafana.test(c.image ?? ""))) {
      for (const { variable, what } of GRAFANA_OFF) {
        const value = environmentValue(container, variable);
        const on = value?.trim().toLowerCase() === "true";
        if (!on && !(requireExplicit && value?.trim().toLowerCase() !== "false")) continue;
        reportViolation(
          `Task definition ${args.name}, container ${container.name} (${container.image ?? ""}): ${
            on
              ? `${what} is on (${variable}=${value ?? ""})`
              : `${what} is not switched off explicitly (${variable} is ${value === undefined ? "unset" : `"${value}"`})`
          }; set ${variable}="false".`,
        );
      }
    }
  },
};

function environmentValue(container: ContainerDefinition, name: string): string | undefined {
  return container.environment?.find((e) => e.name === name)?.value;
}

export const noPublicIpOnTasks: ResourceValidationPolicy = {
  name: "no-public-ip-on-tasks",
  description: "ECS tasks run in private subnets without a public IP; only load balancers face the internet.",
  severity: "high",
  remediationSteps:
    "Set networkConfiguration.assignPublicIp to false and place the tasks in private subnets (with a NAT gateway or VPC endpoints for outbound traffic).",
  validateResource: (args, reportViolation) => {
    if (args.type !== TYPES.ecsService && args.type !== TYPES.ecsTaskSet) return;
    const network = (args.props as Props)["networkConfiguration"];
    if (isObject(network) && network["assignPublicIp"] === true) {
      reportViolation(
        `ECS ${args.type === TYPES.ecsService ? "service" : "task set"} ${args.name} gives its tasks a public IP (assignPublicIp is true).`,
      );
    }
  },
};
