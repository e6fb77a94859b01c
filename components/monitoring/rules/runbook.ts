// Runbook links: one URL template for every alert, `{{alertname}}` standing for the alert's name.
// It is expanded here because Prometheus' own annotation templates cannot see the alert name
// ($labels holds the series' labels only); other `{{ ... }}` pass through to Prometheus.
import type { RulesInput } from "../types";
import { invalid, requireUrl } from "../validate";

export const ALERTNAME_PLACEHOLDER = "{{alertname}}";
/** What `runbookBaseUrl` links to under the base: this repository's docs/runbooks/<Alert>.md. */
export const DEFAULT_RUNBOOK_PATH = `${ALERTNAME_PLACEHOLDER}.md`;

const URL_SCHEMES = ["https:", "http:"];
// `{{ word }}` without `$` or `.` is not a Prometheus template but a misspelt placeholder.
const PLACEHOLDER = /\{\{\s*([A-Za-z_]\w*)\s*\}\}/g;

export function runbookUrl(template: string, alert: string): string {
  return template.replaceAll(ALERTNAME_PLACEHOLDER, alert);
}

/** An alert's own runbook URL (an override's or a user alert's `runbookUrl`). */
export function requireRunbookUrl(field: string, value: string): string {
  return requireUrl(field, value, URL_SCHEMES);
}

function requireTemplate(field: string, template: string): string {
  if (typeof template !== "string" || !template.includes(ALERTNAME_PLACEHOLDER)) {
    invalid(field, template, `expected a URL holding ${ALERTNAME_PLACEHOLDER} where the alert's name goes`);
  }
  for (const [whole, word] of template.matchAll(PLACEHOLDER)) {
    if (word !== "alertname") {
      invalid(field, template, `unknown placeholder ${whole}: the alert's name is ${ALERTNAME_PLACEHOLDER}`);
    }
  }
  requireUrl(field, runbookUrl(template, "AlertName"), URL_SCHEMES);
  return template;
}

/** The runbook URL template from `runbookUrlTemplate`, or `runbookBaseUrl` + /{{alertname}}.md. */
export function runbookTemplate(input: Pick<RulesInput, "runbookBaseUrl" | "runbookUrlTemplate">): string {
  const { runbookBaseUrl: base, runbookUrlTemplate: template } = input;
  if (base !== undefined && template !== undefined) {
    invalid("runbookUrlTemplate", template, "give runbookUrlTemplate or runbookBaseUrl, not both");
  }
  if (template !== undefined) return requireTemplate("runbookUrlTemplate", template);
  if (base === undefined) {
    invalid("runbookBaseUrl", base, "expected runbookBaseUrl or runbookUrlTemplate (where the runbooks are)");
  }
  return `${requireUrl("runbookBaseUrl", base, URL_SCHEMES).replace(/\/+$/, "")}/${DEFAULT_RUNBOOK_PATH}`;
}
