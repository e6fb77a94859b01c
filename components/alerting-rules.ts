import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { renderAlertmanagerConfig, renderRuleFiles } from "./monitoring";
import type { AlertmanagerInput, RulesInput } from "./monitoring/types";
import { configFiles, readConfigAt, type SecretFile } from "./config-files";
import { fargateService, type TaskSize, wgetHealthCheck } from "./fargate";
import { images } from "./images";
import { type PlacementArgs, servicePlacement, taskSecurityGroupId } from "./placement";
import { componentTags } from "./tags";

export const ALERTMANAGER_PORT = 9093;
/** The image's user (nobody): owner of the secret files. */
const ALERTMANAGER_UID = 65534;
const CONFIG_DIR = "/etc/alertmanager/config";

/** Where alerts go. Secrets are Pulumi secrets; they reach the task only as files. */
export interface ReceiversArgs {
  email?: { to: string; from: string; smarthost: string; username: string; password: pulumi.Input<string> };
  slack?: { channel: string; webhookUrl: pulumi.Input<string> };
  pagerduty?: { routingKey: pulumi.Input<string> };
  /** Dead man's switch URL for the always-firing Watchdog alert. */
  watchdogWebhookUrl?: string;
  /** Defaults of the generator (30s, 5m, 4h). */
  groupWait?: string;
  groupInterval?: string;
  repeatInterval?: string;
}

export interface AlertingRulesArgs extends PlacementArgs {
  /** Input of the rule generator (environment, thresholds, SLO, runbook base URL). */
  rules: RulesInput;
  receivers: ReceiversArgs;
  /** Alertmanager task size. Default 256 CPU units, 512 MiB. */
  size?: TaskSize;
}

const SECRET_FILES = {
  smtpPassword: "secrets/smtp_password",
  slackWebhookUrl: "secrets/slack_api_url",
  pagerdutyRoutingKey: "secrets/pagerduty_routing_key",
} as const;

/**
 * The alerting rules (generated, handed to PrometheusServer) and Alertmanager running them: one
 * Fargate task with the generated routing, receiver secrets in Secrets Manager written to files by
 * the init container, port 9093 closed until its clients (Prometheus, Grafana) open it.
 */
export class AlertingRules extends pulumi.ComponentResource {
  /** Rule files (file name → YAML) for Prometheus. */
  readonly ruleFiles: Record<string, string>;
  /** The generated alertmanager.yml (holds file paths, no secrets). */
  readonly alertmanagerConfig: string;
  /** host:port of Alertmanager inside the VPC. */
  readonly target: string;
  /** http://alertmanager.<namespace>:9093 */
  readonly url: string;
  readonly securityGroupId: pulumi.Output<string>;
  /** Secrets Manager ARNs of the receiver secrets, by name. */
  readonly secretArns: Record<string, pulumi.Output<string>>;

  constructor(name: string, args: AlertingRulesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("showcase:index:AlertingRules", name, {}, opts);
    const child = { parent: this };
    const tags = componentTags(name, args.tags);
    const groupId = pulumi.output(taskSecurityGroupId(name, args, tags, child));
    this.target = `${name}.${args.namespace.name}:${ALERTMANAGER_PORT}`;
    this.url = `http://${this.target}`;
    this.ruleFiles = renderRuleFiles(args.rules);

    const { receivers } = args;
    const secretValues: Partial<Record<keyof typeof SECRET_FILES, pulumi.Input<string>>> = {
      ...(receivers.email === undefined ? {} : { smtpPassword: receivers.email.password }),
      ...(receivers.slack === undefined ? {} : { slackWebhookUrl: receivers.slack.webhookUrl }),
      ...(receivers.pagerduty === undefined ? {} : { pagerdutyRoutingKey: receivers.pagerduty.routingKey }),
    };
    this.secretArns = {};
    const secretFiles: SecretFile[] = [];
    for (const [key, value] of Object.entries(secretValues) as [
      keyof typeof SECRET_FILES,
      pulumi.Input<string>,
    ][]) {
      const secret = new aws.secretsmanager.Secret(
        `${name}-${key}`,
        { description: `${name}: ${key}`, tags },
        child,
      );
      new aws.secretsmanager.SecretVersion(
        `${name}-${key}`,
        { secretId: secret.id, secretString: pulumi.secret(value) },
        child,
      );
      this.secretArns[key] = secret.arn;
      secretFiles.push({ path: SECRET_FILES[key], valueFrom: secret.arn });
    }

    const input: AlertmanagerInput = {
      ...(receivers.email === undefined
        ? {}
        : {
            email: {
              to: receivers.email.to,
              from: receivers.email.from,
              smarthost: receivers.email.smarthost,
              username: receivers.email.username,
              passwordFile: `${CONFIG_DIR}/${SECRET_FILES.smtpPassword}`,
            },
          }),
      ...(receivers.slack === undefined
        ? {}
        : {
            slack: {
              channel: receivers.slack.channel,
              apiUrlFile: `${CONFIG_DIR}/${SECRET_FILES.slackWebhookUrl}`,
            },
          }),
      ...(receivers.pagerduty === undefined
        ? {}
        : { pagerduty: { routingKeyFile: `${CONFIG_DIR}/${SECRET_FILES.pagerdutyRoutingKey}` } }),
      ...(receivers.watchdogWebhookUrl === undefined
        ? {}
        : { watchdogWebhookUrl: receivers.watchdogWebhookUrl }),
      ...(receivers.groupWait === undefined ? {} : { groupWait: receivers.groupWait }),
      ...(receivers.groupInterval === undefined ? {} : { groupInterval: receivers.groupInterval }),
      ...(receivers.repeatInterval === undefined ? {} : { repeatInterval: receivers.repeatInterval }),
    };
    this.alertmanagerConfig = renderAlertmanagerConfig(input);
    const config = configFiles(
      name,
      {
        files: { "alertmanager.yml": this.alertmanagerConfig },
        ownerUid: ALERTMANAGER_UID,
        secretFiles,
        tags,
      },
      child,
    );

    const configAt = readConfigAt(CONFIG_DIR);
    const alertmanager: aws.ecs.ContainerDefinition = {
      name: "alertmanager",
      image: images.alertmanager,
      essential: true,
      command: [
        `--config.file=${CONFIG_DIR}/alertmanager.yml`,
        "--storage.path=/alertmanager",
        `--web.listen-address=:${ALERTMANAGER_PORT}`,
        `--web.external-url=${this.url}`,
        // A single instance: no gossip cluster.
        "--cluster.listen-address=",
      ],
      portMappings: [{ name: "http", containerPort: ALERTMANAGER_PORT, protocol: "tcp" }],
      mountPoints: [configAt.mountPoint],
      dependsOn: configAt.dependsOn,
      healthCheck: wgetHealthCheck(ALERTMANAGER_PORT, "/-/ready", 30),
    };
    fargateService(
      name,
      {
        ...servicePlacement(name, args, groupId),
        size: args.size ?? { cpu: 256, memory: 512 },
        containers: [config.initContainer, alertmanager],
        volumes: [config.volume],
        taskPolicies: { config: config.readPolicy },
        desiredCount: 1,
        // One instance (no cluster): never two routing the same alerts.
        singleWriter: true,
        serviceDependsOn: config.objects,
        tags,
      },
      child,
    );

    this.securityGroupId = groupId;
    this.registerOutputs({ url: this.url, securityGroupId: this.securityGroupId });
  }
}
