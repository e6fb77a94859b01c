import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { renderAlertmanagerConfig, renderRuleFiles } from "./monitoring";
import type { AlertmanagerInput, RulesInput } from "./monitoring/types";
import { configFiles, readConfigAt, type SecretFile } from "./config-files";
import { fargateService, type TaskSize, wgetHealthCheck } from "./fargate";
import { images } from "./images";
import { componentOptions, typeToken } from "./component";
import type { InternalTlsArgs } from "./internal-tls";
import { discoveryName, type PlacementArgs, servicePlacement, taskSecurityGroup } from "./placement";
import { componentTags } from "./tags";
import { type ClientLogin, webTls } from "./web-tls";

export const ALERTMANAGER_PORT = 9093;
/** The image's user (nobody): owner of the secret files. */
const ALERTMANAGER_UID = 65534;
const CONFIG_DIR = "/etc/alertmanager/config";
const HEALTH_CHECK_START_PERIOD = 30;
/** Its clients' users with `tls`: Prometheus (sends alerts, scrapes) and Grafana (its data source). */
const CLIENTS = { prometheus: "prometheus", grafana: "grafana" } as const;

/** Email through an SMTP server (e.g. Amazon SES). */
export interface EmailReceiverArgs {
  /** Recipient address. */
  to: string;
  /** Sender address. */
  from: string;
  /** host:port of the SMTP server. */
  smarthost: string;
  /** SMTP user name. */
  username: string;
  /** SMTP password, a Pulumi secret. */
  password: pulumi.Input<string>;
}

export interface SlackReceiverArgs {
  /** e.g. #alerts */
  channel: string;
  /** Incoming-webhook URL, a Pulumi secret. */
  webhookUrl: pulumi.Input<string>;
}

export interface PagerdutyReceiverArgs {
  /** Events API v2 routing key, a Pulumi secret. */
  routingKey: pulumi.Input<string>;
}

/** Where alerts go. Secrets are Pulumi secrets; they reach the task only as files. */
export interface ReceiversArgs {
  /** Email for warnings (and criticals when there is no PagerDuty or Slack). Default none. */
  email?: EmailReceiverArgs;
  /** Slack for criticals and warnings. Default none. */
  slack?: SlackReceiverArgs;
  /** PagerDuty pages for criticals. Default none. */
  pagerduty?: PagerdutyReceiverArgs;
  /** Dead man's switch URL for the always-firing Watchdog alert. Default none. */
  watchdogWebhookUrl?: string;
  /** Default 30s. */
  groupWait?: string;
  /** Default 5m. */
  groupInterval?: string;
  /** Default 4h. */
  repeatInterval?: string;
}

/** The defaults of AlertingRulesArgs. */
export const ALERTING_RULES_DEFAULTS = { size: { cpu: 256, memory: 512 } } as const;

export interface AlertingRulesArgs extends PlacementArgs {
  /** Input of the rule generator (environment, thresholds, SLO, runbook URLs). */
  rules: RulesInput;
  /**
   * Jobs of more apps the same Prometheus scrapes (PrometheusServer's `moreApps`): each gets our
   * app rules with the same thresholds, in files `<job>.<group>.rules.yml`. Default none.
   */
  moreAppJobs?: string[];
  /** Where alerts go: email, Slack, PagerDuty (at least one), and the Watchdog's dead man's switch. */
  receivers: ReceiversArgs;
  /** Alertmanager task size. Default 256 CPU units, 512 MiB. */
  size?: TaskSize;
  /**
   * TLS inside the VPC: serve HTTPS only, with a certificate of this CA for the Cloud Map name, and
   * basic auth (generated passwords: `prometheusLogin`, `grafanaLogin`, one for its health check).
   * Default none: plain HTTP, security groups the only guard.
   */
  tls?: InternalTlsArgs;
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
  /** Alertmanager's DNS name inside the VPC. */
  readonly hostname: pulumi.Output<string>;
  readonly port: number;
  /** http(s)://alertmanager.<namespace>:9093 (https with `tls`) */
  readonly url: pulumi.Output<string>;
  /** With `tls`: Prometheus's login (PrometheusServer's `alertmanager.login`). */
  readonly prometheusLogin: ClientLogin | undefined;
  /** With `tls`: Grafana's login (its Alertmanager data source). */
  readonly grafanaLogin: ClientLogin | undefined;
  readonly securityGroupId: pulumi.Output<string>;
  /** Secrets Manager ARNs of the receiver secrets, by name. */
  readonly secretArns: Record<string, pulumi.Output<string>>;
  readonly service: aws.ecs.Service;
  readonly taskDefinition: aws.ecs.TaskDefinition;
  readonly taskRole: aws.iam.Role;
  readonly executionRole: aws.iam.Role;
  readonly logGroup: aws.cloudwatch.LogGroup;
  /** The bucket the configuration is delivered through. */
  readonly configBucket: aws.s3.Bucket;
  /** The tasks' security group when the component created it (unset with `securityGroupId`). */
  readonly taskSecurityGroup: aws.ec2.SecurityGroup | undefined;

  constructor(name: string, args: AlertingRulesArgs, opts?: pulumi.ComponentResourceOptions) {
    super(typeToken("AlertingRules"), name, {}, componentOptions("AlertingRules", opts));
    const child = { parent: this };
    const tags = componentTags(name, args.tags);
    const group = taskSecurityGroup(name, args, tags, child);
    this.hostname = discoveryName(name, args);
    this.port = ALERTMANAGER_PORT;
    this.url = pulumi.interpolate`${args.tls === undefined ? "http" : "https"}://${this.hostname}:${ALERTMANAGER_PORT}`;
    this.ruleFiles = generated(this, name, "rules", () => {
      const files = renderRuleFiles(args.rules);
      for (const job of args.moreAppJobs ?? []) {
        // The app groups again for this job: the monitoring group and the user's own groups once.
        const drop = {
          ...args.rules.drop,
          groups: [...new Set([...(args.rules.drop?.groups ?? []), "monitoring"])],
        };
        const more = renderRuleFiles({ ...args.rules, appJob: job, drop, groups: [] });
        for (const [file, text] of Object.entries(more)) files[`${job}.${file}`] = text;
      }
      return files;
    });

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
    this.alertmanagerConfig = generated(this, name, "receivers", () => renderAlertmanagerConfig(input));
    const web =
      args.tls === undefined
        ? undefined
        : webTls(
            name,
            {
              server: "alertmanager",
              tls: args.tls,
              hostname: this.hostname,
              port: ALERTMANAGER_PORT,
              configDir: CONFIG_DIR,
              clients: Object.values(CLIENTS),
              healthCheckStartPeriod: HEALTH_CHECK_START_PERIOD,
              tags,
            },
            child,
          );
    this.prometheusLogin = web?.logins[CLIENTS.prometheus];
    this.grafanaLogin = web?.logins[CLIENTS.grafana];
    const config = configFiles(
      name,
      {
        files: { "alertmanager.yml": this.alertmanagerConfig, ...web?.files },
        ownerUid: ALERTMANAGER_UID,
        secretFiles: [...secretFiles, ...(web?.secretFiles ?? [])],
        ...(web === undefined ? {} : { version: web.fingerprint }),
        tags,
      },
      child,
    );

    const configAt = readConfigAt(CONFIG_DIR);
    const alertmanager: aws.ecs.ContainerDefinition = {
      name: "alertmanager",
      image: images.alertmanager,
      essential: true,
      command: pulumi.all([
        `--config.file=${CONFIG_DIR}/alertmanager.yml`,
        "--storage.path=/alertmanager",
        `--web.listen-address=:${ALERTMANAGER_PORT}`,
        pulumi.interpolate`--web.external-url=${this.url}`,
        // A single instance: no gossip cluster.
        "--cluster.listen-address=",
        ...(web === undefined ? [] : [web.flag]),
      ]),
      portMappings: [{ name: "http", containerPort: ALERTMANAGER_PORT, protocol: "tcp" }],
      mountPoints: [configAt.mountPoint],
      dependsOn: configAt.dependsOn,
      healthCheck:
        web?.healthCheck ?? wgetHealthCheck(ALERTMANAGER_PORT, "/-/ready", HEALTH_CHECK_START_PERIOD),
    };
    const service = fargateService(
      name,
      {
        ...servicePlacement(name, args, group.id),
        size: args.size ?? ALERTING_RULES_DEFAULTS.size,
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

    this.securityGroupId = group.id;
    this.service = service.service;
    this.taskDefinition = service.taskDefinition;
    this.taskRole = service.taskRole;
    this.executionRole = service.executionRole;
    this.logGroup = service.logGroup;
    this.configBucket = config.bucket;
    this.taskSecurityGroup = group.created;
    this.registerOutputs({
      ruleFiles: this.ruleFiles,
      alertmanagerConfig: this.alertmanagerConfig,
      hostname: this.hostname,
      port: this.port,
      url: this.url,
      prometheusLogin: this.prometheusLogin,
      grafanaLogin: this.grafanaLogin,
      securityGroupId: this.securityGroupId,
      secretArns: this.secretArns,
      service: this.service,
      taskDefinition: this.taskDefinition,
      taskRole: this.taskRole,
      executionRole: this.executionRole,
      logGroup: this.logGroup,
      configBucket: this.configBucket,
      taskSecurityGroup: this.taskSecurityGroup,
    });
  }
}

/** A generator's output; its input error (`field: problem`) becomes a ResourceError on `arg.field`. */
function generated<T>(component: pulumi.Resource, name: string, arg: string, render: () => T): T {
  try {
    return render();
  } catch (error) {
    throw new pulumi.ResourceError(`${name}: ${arg}.${(error as Error).message}`, component);
  }
}
