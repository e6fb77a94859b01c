// alertmanager.yml: routing by severity (critical → PagerDuty and Slack, warning → Slack and email,
// info → nowhere), the Watchdog to its own receiver, inhibition of a warning by the same alert's
// critical, and receivers that read every secret from a file.
import type { AlertmanagerInput } from "./types";
import {
  durationMs,
  invalid,
  requireAbsolutePath,
  requireHostPort,
  requireText,
  requireUrl,
} from "./validate";
import { toYaml } from "./yaml";

/** Receiver names: stable, so routes can be tested with `amtool config routes test`. */
export const RECEIVERS = {
  pagerduty: "pagerduty",
  slack: "slack",
  email: "email",
  watchdog: "watchdog",
  webhook: "webhook",
  blackhole: "blackhole",
} as const;
type ChannelName = "pagerduty" | "slack" | "email";

interface Route {
  receiver: string;
  matchers?: string[];
  continue?: boolean;
  group_wait?: string;
  group_interval?: string;
  repeat_interval?: string;
}

/**
 * Where each severity goes, in order. A receiver that is not configured is left out; when none of
 * a severity's receivers is configured it falls back to `fallback` (a critical alert still reaches
 * email), and then to the blackhole receiver. The warning route also takes alerts with a missing or
 * unknown severity, so nothing mislabelled is dropped silently.
 */
const SEVERITY_ROUTES: { matcher: string; channels: ChannelName[]; fallback: ChannelName[] }[] = [
  { matcher: 'severity="critical"', channels: ["pagerduty", "slack"], fallback: ["email"] },
  { matcher: 'severity!~"critical|info"', channels: ["slack", "email"], fallback: [] },
  { matcher: 'severity="info"', channels: [], fallback: [] },
];

/** Alerts are grouped, and a critical mutes its warning, on labels every alert carries. */
const ALERT_IDENTITY = ["alertname", "env", "job"];
const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

const NOTIFICATION_TITLE =
  '[{{ .Status | toUpper }}{{ if eq .Status "firing" }}:{{ .Alerts.Firing | len }}{{ end }}] ' +
  "{{ .CommonLabels.alertname }} ({{ .CommonLabels.env }}, {{ .CommonLabels.severity }})";
const ALERT_LIST =
  "{{ range .Alerts }}{{ .Annotations.summary }}\n{{ .Annotations.description }}\n{{ end }}Runbook: {{ .CommonAnnotations.runbook_url }}";

function webhookUrl(field: string, value: string): string {
  requireUrl(field, value, ["http:", "https:"]);
  const url = new URL(value);
  if (url.username || url.password)
    invalid(field, value, "expected a URL without credentials (secrets go in files)");
  return value;
}

function channels(input: AlertmanagerInput): {
  global: Record<string, unknown>;
  receivers: Map<ChannelName, object>;
} {
  const global: Record<string, unknown> = { resolve_timeout: "5m" };
  const receivers = new Map<ChannelName, object>();
  if (input.email) {
    const { to, from, smarthost, username, passwordFile } = input.email;
    if (!EMAIL.test(to ?? "")) invalid("email.to", to, "expected an email address");
    if (!EMAIL.test(from ?? "")) invalid("email.from", from, "expected an email address");
    Object.assign(global, {
      smtp_smarthost: requireHostPort("email.smarthost", smarthost),
      smtp_from: from,
      smtp_auth_username: requireText("email.username", username),
      smtp_auth_password_file: requireAbsolutePath("email.passwordFile", passwordFile),
      smtp_require_tls: true,
    });
    receivers.set("email", {
      email_configs: [
        {
          to,
          send_resolved: true,
          headers: { Subject: NOTIFICATION_TITLE },
        },
      ],
    });
  }
  if (input.slack) {
    global.slack_api_url_file = requireAbsolutePath("slack.apiUrlFile", input.slack.apiUrlFile);
    receivers.set("slack", {
      slack_configs: [
        {
          channel: requireText("slack.channel", input.slack.channel),
          send_resolved: true,
          title: NOTIFICATION_TITLE,
          title_link: "{{ .CommonAnnotations.runbook_url }}",
          text: ALERT_LIST,
        },
      ],
    });
  }
  if (input.pagerduty) {
    receivers.set("pagerduty", {
      pagerduty_configs: [
        {
          routing_key_file: requireAbsolutePath("pagerduty.routingKeyFile", input.pagerduty.routingKeyFile),
          send_resolved: true,
          severity: "{{ .CommonLabels.severity }}",
          description:
            "{{ .CommonLabels.alertname }} ({{ .CommonLabels.env }}): {{ .CommonAnnotations.summary }}",
          links: [{ href: "{{ .CommonAnnotations.runbook_url }}", text: "Runbook" }],
        },
      ],
    });
  }
  return { global, receivers };
}

function routes(input: AlertmanagerInput, configured: Set<ChannelName>): Route[] {
  const watchdog: Route = {
    matchers: ['alertname="Watchdog"'],
    receiver: RECEIVERS.watchdog,
    // The dead man's switch expects a steady heartbeat.
    group_wait: "0s",
    group_interval: "1m",
    repeat_interval: "5m",
  };
  const everything: Route[] = input.webhookUrl ? [{ receiver: RECEIVERS.webhook, continue: true }] : [];
  const bySeverity = SEVERITY_ROUTES.flatMap(({ matcher, channels: wanted, fallback }): Route[] => {
    const preferred = wanted.filter((name) => configured.has(name));
    const present = preferred.length > 0 ? preferred : fallback.filter((name) => configured.has(name));
    if (present.length === 0) return [{ matchers: [matcher], receiver: RECEIVERS.blackhole }];
    // `continue` on all but the last: one alert reaches each of the severity's receivers.
    return present.map((name, i) => ({
      matchers: [matcher],
      receiver: RECEIVERS[name],
      ...(i < present.length - 1 ? { continue: true } : {}),
    }));
  });
  return [watchdog, ...everything, ...bySeverity];
}

export function renderAlertmanagerConfig(input: AlertmanagerInput): string {
  const groupWait = input.groupWait ?? "30s";
  const groupInterval = input.groupInterval ?? "5m";
  const repeatInterval = input.repeatInterval ?? "4h";
  durationMs("groupWait", groupWait);
  durationMs("groupInterval", groupInterval);
  durationMs("repeatInterval", repeatInterval);

  const { global, receivers } = channels(input);
  const receiverList: object[] = [
    { name: RECEIVERS.blackhole },
    {
      name: RECEIVERS.watchdog,
      ...(input.watchdogWebhookUrl
        ? {
            webhook_configs: [
              { url: webhookUrl("watchdogWebhookUrl", input.watchdogWebhookUrl), send_resolved: false },
            ],
          }
        : {}),
    },
    ...[...receivers].map(([name, config]) => ({ name: RECEIVERS[name], ...config })),
  ];
  if (input.webhookUrl) {
    receiverList.push({
      name: RECEIVERS.webhook,
      webhook_configs: [{ url: webhookUrl("webhookUrl", input.webhookUrl), send_resolved: true }],
    });
  }

  const config = {
    global,
    route: {
      receiver: RECEIVERS.blackhole,
      group_by: ALERT_IDENTITY,
      group_wait: groupWait,
      group_interval: groupInterval,
      repeat_interval: repeatInterval,
      routes: routes(input, new Set(receivers.keys())),
    },
    inhibit_rules: [
      {
        source_matchers: ['severity="critical"'],
        target_matchers: ['severity="warning"'],
        equal: ALERT_IDENTITY,
      },
    ],
    receivers: receiverList,
  };
  return toYaml("Alertmanager configuration.", config);
}
