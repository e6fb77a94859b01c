// What lives inside a Grafana, as Pulumi resources through the Grafana provider: data sources with
// the fixed uids the dashboards reference, a folder with the dashboards, and teams with folder
// permissions. Any Grafana: ours (GrafanaServer), Amazon Managed Grafana, Grafana Cloud. Nothing
// here touches AWS.
import * as grafana from "@pulumiverse/grafana";
import * as pulumi from "@pulumi/pulumi";
import { componentOptions, typeToken } from "./component";
import { grafanaAlerting, type GrafanaAlertingArgs } from "./grafana-alerting";
import { argError, checkArg } from "./errors";
import { DATASOURCE_UIDS, DEFAULT_SCRAPE_INTERVAL } from "./monitoring";
import { schemas } from "./monitoring/schema";

export { DATASOURCE_UIDS };

/**
 * Grafana's data source plugin for Amazon Managed Service for Prometheus (SigV4), which replaces
 * SigV4 on the core Prometheus data source (deprecated in Grafana 11, removed in 13). Pinned:
 * GrafanaServer installs exactly this release.
 */
export const AMP_DATASOURCE_PLUGIN = { id: "grafana-amazonprometheus-datasource", version: "3.2.0" } as const;

export interface GrafanaDashboardArgs {
  /** The dashboard's uid (its URL is /d/<uid>). */
  uid: string;
  /** The dashboard model as JSON; its `uid` must equal `uid`. */
  json: pulumi.Input<string>;
}

/** Amazon Managed Service for Prometheus as the Prometheus data source, queried with SigV4. */
export interface AmpQueryArgs {
  /** Region of the workspace. */
  region: pulumi.Input<string>;
}

/** A user name and password (e.g. PrometheusServer.grafanaLogin, AlertingRules.grafanaLogin). */
export interface BasicAuthArgs {
  /** The user name. */
  username: string;
  /** A Pulumi secret; it reaches Grafana only as secure JSON data. */
  password: pulumi.Input<string>;
}

/** How Grafana reaches a server that wants TLS and a login. */
export interface ServerAccessArgs {
  /** Basic auth. Default none. */
  basicAuth?: BasicAuthArgs;
  /** Verify the server's certificate against this CA (PEM) only, e.g. the stack's internal CA. Default: the system's CAs. */
  caCertPem?: pulumi.Input<string>;
}

/** The Prometheus data source (uid "prometheus", the dashboards' default). */
export interface PrometheusDataSourceArgs extends ServerAccessArgs {
  /** A Prometheus URL Grafana reaches, or an AMP workspace's endpoint with `amp`. */
  url: pulumi.Input<string>;
  /** Query the URL as an AMP workspace, through the AMP plugin with SigV4 (the AWS SDK's credentials). Default: the core Prometheus data source. */
  amp?: AmpQueryArgs;
  /** Prometheus's scrape interval: Grafana's smallest query step. Default 15s. */
  scrapeInterval?: string;
}

/** The CloudWatch data source (uid "cloudwatch"), with the AWS SDK's default credentials. */
export interface CloudWatchDataSourceArgs {
  /** Default region of the queries. */
  region: pulumi.Input<string>;
}

/** A folder for the dashboards. */
export interface FolderArgs {
  /** The folder's uid. */
  uid: string;
  /** Its title in Grafana. */
  title: string;
}

/** Members (emails or logins of existing Grafana users) of the two teams the folder is shared with. */
export interface TeamsArgs {
  /** May view the folder's dashboards. */
  viewers: string[];
  /** May edit them. */
  editors: string[];
}

/** The defaults of GrafanaContentArgs. */
export const GRAFANA_CONTENT_DEFAULTS = {
  scrapeInterval: DEFAULT_SCRAPE_INTERVAL,
  folder: { uid: "showcase", title: "Showcase" },
  teams: { viewers: [] as string[], editors: [] as string[] },
  /** The provider retries for ~2 minutes: a new Grafana may still be migrating its database. */
  providerRetries: 12,
  providerRetryWaitSeconds: 10,
};

export interface GrafanaContentArgs {
  /**
   * Grafana's URL: the base of `dashboardUrls`, and with `auth` the URL of a Grafana provider the
   * component creates. Default: no provider of its own (pass one in the resource options'
   * `providers`, or configure the default one with `grafana:url` and `grafana:auth`), and
   * dashboard URLs relative to Grafana's root.
   */
  url?: pulumi.Input<string>;
  /** With `url`: "user:password" (basic auth) or a service account token, a Pulumi secret. Default none (no provider of its own). */
  auth?: pulumi.Input<string>;
  /** The Prometheus data source (uid "prometheus", the dashboards' default). */
  prometheus: PrometheusDataSourceArgs;
  /** Alertmanager data source URL (uid "alertmanager", Prometheus's Alertmanager). Default none. */
  alertmanagerUrl?: pulumi.Input<string>;
  /** With `alertmanagerUrl`: its login and CA. Default none. */
  alertmanagerAccess?: ServerAccessArgs;
  /** Grafana-managed alert rules and the Alertmanager they notify (e.g. CloudWatch alerts). Default none. */
  alerting?: GrafanaAlertingArgs;
  /** CloudWatch data source (uid "cloudwatch"). Default none. */
  cloudwatch?: CloudWatchDataSourceArgs;
  /** Dashboards, e.g. from `generatedDashboards`. */
  dashboards: GrafanaDashboardArgs[];
  /** Folder of the dashboards. Default uid "showcase", title "Showcase". */
  folder?: FolderArgs;
  /** Members of the Viewers and Editors teams. Default none (the teams exist, empty). */
  teams?: TeamsArgs;
}

/**
 * Data sources, a folder of dashboards, and Viewers/Editors teams whose permissions replace the
 * folder's default role grants, in any Grafana the Grafana provider reaches.
 */
export class GrafanaContent extends pulumi.ComponentResource {
  // Ids rather than the Grafana resources themselves: Pulumi's component schema can reference
  // resources of @pulumi packages only, and @pulumiverse/grafana is not one.
  /** Dashboard uid → URL. */
  readonly dashboardUrls: Record<string, pulumi.Output<string>>;
  /** Uids of the data sources created (prometheus, and alertmanager / cloudwatch when given). */
  readonly dataSourceUids: string[];
  readonly folderUid: pulumi.Output<string>;
  /** Team ids (`<orgId>:<teamId>`) of the Viewers and Editors teams. */
  readonly viewersTeamId: pulumi.Output<string>;
  readonly editorsTeamId: pulumi.Output<string>;

  constructor(name: string, args: GrafanaContentArgs, opts?: pulumi.ComponentResourceOptions) {
    super(typeToken("GrafanaContent"), name, {}, componentOptions("GrafanaContent", opts));
    const d = GRAFANA_CONTENT_DEFAULTS;
    if (args.auth !== undefined && args.url === undefined) {
      throw argError(this, name, "auth", "needs url: the provider the component creates needs both");
    }
    const timeInterval = checkArg(
      this,
      name,
      "prometheus.scrapeInterval",
      schemas.duration,
      args.prometheus.scrapeInterval ?? d.scrapeInterval,
    );
    const uids = new Set<string>();
    args.dashboards.forEach((dashboard, index) => {
      if (uids.has(dashboard.uid))
        throw argError(this, name, `dashboards[${index}].uid`, `${dashboard.uid} repeats`);
      uids.add(dashboard.uid);
    });

    const provider =
      args.auth === undefined || args.url === undefined
        ? undefined
        : new grafana.Provider(
            `${name}-provider`,
            {
              url: args.url,
              auth: args.auth,
              retries: d.providerRetries,
              retryWait: d.providerRetryWaitSeconds,
            },
            { parent: this },
          );
    const inGrafana: pulumi.CustomResourceOptions = {
      parent: this,
      ...(provider === undefined ? {} : { provider }),
    };

    const dataSources: Record<string, grafana.oss.DataSource> = {};
    const { amp } = args.prometheus;
    dataSources[DATASOURCE_UIDS.prometheus] = new grafana.oss.DataSource(
      `${name}-prometheus`,
      {
        uid: DATASOURCE_UIDS.prometheus,
        name: "Prometheus",
        type: amp === undefined ? "prometheus" : AMP_DATASOURCE_PLUGIN.id,
        url: args.prometheus.url,
        isDefault: true,
        ...dataSourceAccess(
          args.prometheus,
          amp === undefined ? prometheusJsonData(timeInterval) : ampJsonData(timeInterval, amp.region),
        ),
      },
      inGrafana,
    );
    if (args.alertmanagerUrl !== undefined) {
      dataSources[DATASOURCE_UIDS.alertmanager] = new grafana.oss.DataSource(
        `${name}-alertmanager`,
        {
          uid: DATASOURCE_UIDS.alertmanager,
          name: "Alertmanager",
          type: "alertmanager",
          url: args.alertmanagerUrl,
          ...dataSourceAccess(args.alertmanagerAccess ?? {}, alertmanagerJsonData()),
        },
        inGrafana,
      );
    }
    if (args.cloudwatch !== undefined) {
      dataSources[DATASOURCE_UIDS.cloudwatch] = new grafana.oss.DataSource(
        `${name}-cloudwatch`,
        {
          uid: DATASOURCE_UIDS.cloudwatch,
          name: "CloudWatch",
          type: "cloudwatch",
          jsonDataEncoded: pulumi.jsonStringify(cloudwatchJsonData(args.cloudwatch.region)),
        },
        inGrafana,
      );
    }

    const folderSpec = args.folder ?? d.folder;
    const folder = new grafana.oss.Folder(
      `${name}-folder`,
      { uid: folderSpec.uid, title: folderSpec.title },
      inGrafana,
    );
    // Dashboards query the data sources by uid: create them first.
    const afterDataSources = { ...inGrafana, dependsOn: Object.values(dataSources) };
    const base =
      args.url === undefined ? "" : pulumi.interpolate`${args.url}`.apply((u) => u.replace(/\/+$/, ""));
    this.dashboardUrls = {};
    for (const dashboard of args.dashboards) {
      this.dashboardUrls[dashboard.uid] = pulumi.interpolate`${base}/d/${dashboard.uid}`;
      new grafana.oss.Dashboard(
        `${name}-dashboard-${dashboard.uid}`,
        { folder: folder.uid, configJson: dashboard.json, overwrite: true },
        afterDataSources,
      );
    }

    const teams = args.teams ?? d.teams;
    const viewers = new grafana.oss.Team(
      `${name}-viewers`,
      { name: "Viewers", members: teams.viewers },
      inGrafana,
    );
    const editors = new grafana.oss.Team(
      `${name}-editors`,
      { name: "Editors", members: teams.editors },
      inGrafana,
    );
    // Replaces the folder's default role grants: only these teams (and admins) see it.
    new grafana.oss.FolderPermission(
      `${name}-folder`,
      {
        folderUid: folder.uid,
        permissions: [
          { teamId: viewers.id, permission: "View" },
          { teamId: editors.id, permission: "Edit" },
        ],
      },
      inGrafana,
    );
    this.dataSourceUids = Object.keys(dataSources);
    if (args.alerting !== undefined) {
      grafanaAlerting(
        name,
        args.alerting,
        { folderUid: folder.uid, dataSourceUids: this.dataSourceUids },
        afterDataSources,
      );
    }
    this.folderUid = folder.uid;
    this.viewersTeamId = viewers.id;
    this.editorsTeamId = editors.id;
    this.registerOutputs({
      dashboardUrls: this.dashboardUrls,
      dataSourceUids: this.dataSourceUids,
      folderUid: this.folderUid,
      viewersTeamId: this.viewersTeamId,
      editorsTeamId: this.editorsTeamId,
    });
  }
}

// jsonData of each data source type, with only keys Grafana's own settings types define for it
// (test/infra/fixtures/grafana-jsondata-keys.json records them and their sources).

/**
 * A data source's jsonData with its login and CA: the user name in the data source, the password
 * and CA in secure JSON data (encrypted by Grafana, a secret in the state), `tlsAuthWithCACert` so
 * Grafana's HTTP client trusts that CA only.
 */
export function dataSourceAccess(
  settings: ServerAccessArgs,
  jsonData: Record<string, pulumi.Input<unknown>>,
) {
  const { basicAuth, caCertPem } = settings;
  const secure = {
    ...(basicAuth === undefined ? {} : { basicAuthPassword: basicAuth.password }),
    ...(caCertPem === undefined ? {} : { tlsCACert: caCertPem }),
  };
  return {
    jsonDataEncoded: pulumi.jsonStringify({
      ...jsonData,
      ...(caCertPem === undefined ? {} : { tlsAuthWithCACert: true }),
    }),
    ...(basicAuth === undefined ? {} : { basicAuthEnabled: true, basicAuthUsername: basicAuth.username }),
    ...(Object.keys(secure).length === 0
      ? {}
      : { secureJsonDataEncoded: pulumi.secret(pulumi.jsonStringify(secure)) }),
  };
}

/** Core Prometheus data source (PromOptions). */
export function prometheusJsonData(timeInterval: string) {
  return { httpMethod: "POST", timeInterval };
}

/** The AMP plugin: SigV4 with the AWS SDK's default credential chain (the task role). */
export function ampJsonData(timeInterval: string, region: pulumi.Input<string>) {
  return { httpMethod: "POST", timeInterval, sigV4Auth: true, sigV4AuthType: "default", sigV4Region: region };
}

/** Alertmanager data source: Prometheus's Alertmanager (Grafana assumes Mimir otherwise). */
export function alertmanagerJsonData() {
  return { implementation: "prometheus", handleGrafanaManagedAlerts: false };
}

/** CloudWatch data source: the AWS SDK's default credential chain. */
export function cloudwatchJsonData(region: pulumi.Input<string>) {
  return { authType: "default", defaultRegion: region };
}
