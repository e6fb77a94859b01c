// What lives inside Grafana, as Pulumi resources through a Grafana provider: data sources with the
// fixed uids the dashboards reference, one folder with the generated dashboards, and teams with
// folder permissions. Nothing here touches AWS.
import * as grafana from "@pulumiverse/grafana";
import * as pulumi from "@pulumi/pulumi";

/** Data source uids the generated dashboards reference. */
export const DATASOURCE_UIDS = {
  prometheus: "prometheus",
  alertmanager: "alertmanager",
  cloudwatch: "cloudwatch",
} as const;

export interface GrafanaDashboardArgs {
  uid: string;
  /** The dashboard model as JSON; its `uid` must equal `uid`. */
  json: pulumi.Input<string>;
}

/** What Grafana shows: the part of GrafanaServerArgs that is about content. */
export interface GrafanaContentSpec {
  /** The Prometheus data source: a URL in the VPC, or an AMP workspace queried with SigV4. */
  prometheus: {
    url: pulumi.Input<string>;
    amp?: { workspaceArn: pulumi.Input<string>; region: pulumi.Input<string> };
    /** Prometheus's scrape interval: Grafana's smallest query step. Default 15s. */
    scrapeInterval?: string;
  };
  /** Alertmanager data source URL (inside the VPC). */
  alertmanagerUrl: pulumi.Input<string>;
  /** Default region of the CloudWatch data source (task role credentials). */
  cloudwatchRegion: pulumi.Input<string>;
  dashboards: GrafanaDashboardArgs[];
  /** Folder of the dashboards. Default uid "showcase", title "Showcase". */
  folder?: { uid: string; title: string };
  /** Members (emails of existing Grafana users) of the Viewers and Editors teams. Default none. */
  teams?: { viewers: string[]; editors: string[] };
}

export interface GrafanaContentArgs extends GrafanaContentSpec {
  url: pulumi.Input<string>;
  /** "user:password" (basic auth) or a service account token. */
  auth: pulumi.Input<string>;
  /** What must be up before the provider can talk to Grafana. */
  dependsOn: pulumi.Resource[];
}

export function grafanaContent(
  name: string,
  args: GrafanaContentArgs,
  opts: { parent: pulumi.Resource },
): { dashboardUrls: Record<string, pulumi.Output<string>> } {
  const provider = new grafana.Provider(
    `${name}-provider`,
    // Grafana may still be migrating its database right after its first start: retry for ~2 minutes.
    { url: args.url, auth: args.auth, retries: 12, retryWait: 10 },
    { ...opts, dependsOn: args.dependsOn },
  );
  const inGrafana = { ...opts, provider, dependsOn: args.dependsOn };

  const amp = args.prometheus.amp;
  const timeInterval = args.prometheus.scrapeInterval ?? "15s";
  new grafana.oss.DataSource(
    `${name}-prometheus`,
    {
      uid: DATASOURCE_UIDS.prometheus,
      name: "Prometheus",
      type: "prometheus",
      url: args.prometheus.url,
      isDefault: true,
      jsonDataEncoded:
        amp === undefined
          ? JSON.stringify({ httpMethod: "POST", timeInterval })
          : pulumi.jsonStringify({
              httpMethod: "POST",
              timeInterval,
              sigV4Auth: true,
              sigV4AuthType: "default",
              sigV4Region: amp.region,
            }),
    },
    inGrafana,
  );
  new grafana.oss.DataSource(
    `${name}-alertmanager`,
    {
      uid: DATASOURCE_UIDS.alertmanager,
      name: "Alertmanager",
      type: "alertmanager",
      url: args.alertmanagerUrl,
      // Grafana assumes Mimir unless told otherwise.
      jsonDataEncoded: JSON.stringify({ implementation: "prometheus", handleGrafanaManagedAlerts: false }),
    },
    inGrafana,
  );
  new grafana.oss.DataSource(
    `${name}-cloudwatch`,
    {
      uid: DATASOURCE_UIDS.cloudwatch,
      name: "CloudWatch",
      type: "cloudwatch",
      jsonDataEncoded: pulumi.jsonStringify({ authType: "default", defaultRegion: args.cloudwatchRegion }),
    },
    inGrafana,
  );

  const folderSpec = args.folder ?? { uid: "showcase", title: "Showcase" };
  const folder = new grafana.oss.Folder(
    `${name}-folder`,
    { uid: folderSpec.uid, title: folderSpec.title },
    inGrafana,
  );
  const dashboardUrls: Record<string, pulumi.Output<string>> = {};
  for (const dashboard of args.dashboards) {
    new grafana.oss.Dashboard(
      `${name}-dashboard-${dashboard.uid}`,
      { folder: folder.uid, configJson: dashboard.json, overwrite: true },
      inGrafana,
    );
    dashboardUrls[dashboard.uid] = pulumi.interpolate`${args.url}/d/${dashboard.uid}`;
  }

  const teams = args.teams ?? { viewers: [], editors: [] };
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
  return { dashboardUrls };
}
