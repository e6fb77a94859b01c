// Dashboard variables: data sources by type (so the JSON imports anywhere), the app's job and
// instances, and the AWS names the CloudWatch panels filter on.

import type { Variable } from "./model";
import { PROMETHEUS } from "./panels";

export function datasourceVariable(name: "prometheus" | "cloudwatch", label: string): Variable {
  // Default to the data source uid the stack provisions; Grafana falls back to the type's default.
  return {
    name,
    label,
    type: "datasource",
    query: name,
    current: { text: label, value: name },
    regex: "",
    refresh: 1,
    hide: 0,
    options: [],
  };
}

function queryVariable(name: string, label: string, query: string, extra: Record<string, unknown>): Variable {
  return {
    name,
    label,
    type: "query",
    datasource: PROMETHEUS,
    query: { query, refId: `PrometheusVariableQueryEditor-${name}` },
    definition: query,
    regex: "",
    sort: 1,
    hide: 0,
    options: [],
    ...extra,
  };
}

export function jobVariable(defaultJob: string): Variable {
  return queryVariable("job", "Job", "label_values(http_requests_total, job)", {
    refresh: 1,
    multi: false,
    includeAll: false,
    current: { text: defaultJob, value: defaultJob },
  });
}

export function instanceVariable(): Variable {
  return queryVariable("instance", "Instance", 'label_values(up{job="$job"}, instance)', {
    refresh: 2,
    multi: true,
    includeAll: true,
    allValue: ".*",
    current: { text: ["All"], value: ["$__all"] },
  });
}

export function textVariable(name: string, label: string, value: string): Variable {
  return {
    name,
    label,
    type: "textbox",
    query: value,
    current: { text: value, value },
    hide: 0,
    options: [],
  };
}
