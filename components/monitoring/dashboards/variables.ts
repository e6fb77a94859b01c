// Dashboard variables: data sources by type (so the JSON imports anywhere), the app's job and
// instances, the ecs_exporter's tasks, and the AWS names the CloudWatch panels filter on.
import * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import { ECS_EXPORTER_JOB } from "../conventions";
import { DATASOURCE_UIDS, PROMETHEUS, type DataSourceType } from "./datasources";

export type VariableBuilder =
  dashboard.DatasourceVariableBuilder | dashboard.QueryVariableBuilder | dashboard.TextBoxVariableBuilder;

export function datasourceVariable(type: DataSourceType, label: string): dashboard.DatasourceVariableBuilder {
  // Defaults to the data source the stack provisions; elsewhere Grafana falls back to the type's default.
  return new dashboard.DatasourceVariableBuilder(type)
    .label(label)
    .type(type)
    .current({ text: label, value: DATASOURCE_UIDS[type] })
    .regex("")
    .hide(dashboard.VariableHide.DontHide);
}

function queryVariable(name: string, label: string, query: string): dashboard.QueryVariableBuilder {
  return new dashboard.QueryVariableBuilder(name)
    .label(label)
    .datasource(PROMETHEUS)
    .query({ query, refId: `PrometheusVariableQueryEditor-${name}` })
    .definition(query)
    .regex("")
    .sort(dashboard.VariableSort.AlphabeticalAsc)
    .hide(dashboard.VariableHide.DontHide)
    .options([]);
}

export function jobVariable(defaultJob: string): dashboard.QueryVariableBuilder {
  return queryVariable("job", "Job", "label_values(http_requests_total, job)")
    .refresh(dashboard.VariableRefresh.OnDashboardLoad)
    .multi(false)
    .includeAll(false)
    .current({ text: defaultJob, value: defaultJob });
}

export function instanceVariable(): dashboard.QueryVariableBuilder {
  return queryVariable("instance", "Instance", 'label_values(up{job="$job"}, instance)')
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .multi(true)
    .includeAll(true)
    .allValue(".*")
    .current({ text: ["All"], value: ["$__all"] });
}

/** The tasks the ecs_exporter sidecars report on: their scrape targets. */
export function taskVariable(): dashboard.QueryVariableBuilder {
  return queryVariable(
    "task",
    "Task (ecs_exporter)",
    `label_values(ecs_task_metadata_info{job="${ECS_EXPORTER_JOB}"}, instance)`,
  )
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .multi(true)
    .includeAll(true)
    .allValue(".*")
    .current({ text: ["All"], value: ["$__all"] });
}

export function textVariable(name: string, label: string, value: string): dashboard.TextBoxVariableBuilder {
  return new dashboard.TextBoxVariableBuilder(name)
    .label(label)
    .defaultValue(value)
    .current({ text: value, value })
    .hide(dashboard.VariableHide.DontHide)
    .options([]);
}
