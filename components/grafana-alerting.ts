// Grafana-managed alert rules (e.g. on CloudWatch metrics Prometheus cannot read) and the contact
// point that hands them to the stack's Alertmanager, so every alert is routed, grouped, inhibited
// and silenced in one place (docs/decisions/0017).
import * as pulumi from "@pulumi/pulumi";
import * as grafana from "@pulumiverse/grafana";
import type { BasicAuthArgs } from "./grafana-content";
import type { CloudWatchAlertRule } from "./monitoring";

/** The Alertmanager Grafana's alerts go to. */
export interface AlertmanagerContactArgs {
  /** Its URL, e.g. AlertingRules.url. */
  url: pulumi.Input<string>;
  /** Its login (AlertingRules.grafanaLogin with `tls`). Default none. */
  basicAuth?: BasicAuthArgs;
}

/** Alert rules Grafana evaluates, and where their notifications go. */
export interface GrafanaAlertingArgs {
  /** The rules as Grafana's provisioning JSON (e.g. from `generatedCloudWatchAlerts`), one group in the dashboards' folder. */
  rules: pulumi.Input<string>[];
  /** The Alertmanager that routes them (Grafana's own notification policy is left alone). */
  alertmanager: AlertmanagerContactArgs;
  /** Seconds between evaluations. Default 60. */
  intervalSeconds?: number;
  /** The rule group's name. Default "showcase-cloudwatch". */
  groupName?: string;
}

/** Grafana's server-side expressions (math, reduce, threshold). */
const EXPRESSIONS_UID = "__expr__";

export const GRAFANA_ALERTING_DEFAULTS = { intervalSeconds: 60, groupName: "showcase-cloudwatch" } as const;

/** A provisioning-API rule as the provider's RuleGroup takes it, notifying `contactPoint` directly. */
function providerRule(
  rule: CloudWatchAlertRule,
  contactPoint: string,
): grafana.types.input.alerting.RuleGroupRule {
  return {
    ...(rule.uid === undefined ? {} : { uid: rule.uid }),
    name: rule.title,
    condition: rule.condition,
    for: rule.for,
    noDataState: rule.noDataState,
    execErrState: rule.execErrState,
    labels: rule.labels ?? {},
    annotations: rule.annotations ?? {},
    datas: rule.data.map((query) => ({
      refId: query.refId ?? "",
      datasourceUid: query.datasourceUid ?? "",
      ...(query.queryType === undefined ? {} : { queryType: query.queryType }),
      model: JSON.stringify(query.model),
      relativeTimeRange: { from: query.relativeTimeRange?.from ?? 0, to: query.relativeTimeRange?.to ?? 0 },
    })),
    // Simplified routing: straight to the contact point, the org's notification policy untouched.
    notificationSettings: { contactPoint },
  };
}

/**
 * The rules (provisioning JSON) as the provider's RuleGroup takes them; a rule that queries a data
 * source other than `dataSourceUids` (and Grafana's expressions) would never evaluate: refused.
 */
export function providerRules(
  name: string,
  jsons: string[],
  contactPoint: string,
  dataSourceUids: string[],
): grafana.types.input.alerting.RuleGroupRule[] {
  return jsons.map((json, index) => {
    const rule = JSON.parse(json) as CloudWatchAlertRule;
    const unknown = rule.data.find(
      (query) =>
        query.datasourceUid !== EXPRESSIONS_UID && !dataSourceUids.includes(query.datasourceUid ?? ""),
    );
    if (unknown !== undefined) {
      throw new Error(
        `${name}: alerting.rules[${index}] (${rule.title}) queries data source ${JSON.stringify(unknown.datasourceUid)}, which is not one of ${dataSourceUids.join(", ")}`,
      );
    }
    return providerRule(rule, contactPoint);
  });
}

/** `dataSourceUids`: the data sources the rules may query. */
export function grafanaAlerting(
  name: string,
  args: GrafanaAlertingArgs,
  target: { folderUid: pulumi.Input<string>; dataSourceUids: string[] },
  opts: pulumi.CustomResourceOptions,
): { contactPoint: grafana.alerting.ContactPoint; ruleGroup: grafana.alerting.RuleGroup } {
  const d = GRAFANA_ALERTING_DEFAULTS;
  const { basicAuth } = args.alertmanager;
  const contactPoint = new grafana.alerting.ContactPoint(
    `${name}-alertmanager`,
    {
      name: "Stack Alertmanager",
      alertmanagers: [
        {
          url: args.alertmanager.url,
          ...(basicAuth === undefined
            ? {}
            : { basicAuthUser: basicAuth.username, basicAuthPassword: pulumi.secret(basicAuth.password) }),
        },
      ],
    },
    opts,
  );
  const rules = pulumi
    .all([pulumi.all(args.rules), contactPoint.name])
    .apply(([jsons, contact]) => providerRules(name, jsons, contact, target.dataSourceUids));
  const ruleGroup = new grafana.alerting.RuleGroup(
    `${name}-alert-rules`,
    {
      name: args.groupName ?? d.groupName,
      folderUid: target.folderUid,
      intervalSeconds: args.intervalSeconds ?? d.intervalSeconds,
      rules,
    },
    opts,
  );
  return { contactPoint, ruleGroup };
}
