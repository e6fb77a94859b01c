// Checks of the rules a user adds or changes: the conventions our own rules follow (CamelCase
// alerts, level:metric:operations records, a valid severity, a fixed summary, label and annotation
// names Prometheus accepts), each naming the field and the value it rejects.
import { AlertSeverity } from "../types";
import { invalid, requireText } from "../validate";

const ALERT_NAME = /^[A-Z][A-Za-z0-9]*$/;
const RECORD_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*:[a-zA-Z_][a-zA-Z0-9_]*:[a-zA-Z0-9_]+$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const GROUP_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const SEVERITIES: readonly string[] = Object.values(AlertSeverity);

/** The field names of an input type, listed once: the compiler fails when one is missing. */
export function fieldsOf<T>(fields: Record<keyof T, true>): string[] {
  return Object.keys(fields);
}

export function requireObject(field: string, value: unknown): void {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    invalid(field, value, "expected an object");
  }
}

/** Rejects keys of `value` outside `known` (a misspelt field would otherwise be ignored). */
export function requireKnownKeys(field: string, value: object, known: readonly string[]): void {
  requireObject(field, value);
  const unknown = Object.keys(value).find((key) => !known.includes(key));
  if (unknown !== undefined) {
    invalid(
      `${field === "" ? "" : `${field}.`}${unknown}`,
      unknown,
      `unknown field; known: ${known.join(", ")}`,
    );
  }
}

export function requireList<T>(field: string, value: T[] | undefined): T[] {
  if (value !== undefined && !Array.isArray(value)) invalid(field, value, "expected a list");
  return value ?? [];
}

export function requireAlertName(field: string, value: string): string {
  if (typeof value !== "string" || !ALERT_NAME.test(value)) {
    invalid(field, value, "expected a CamelCase alert name such as OrdersBacklogHigh");
  }
  return value;
}

export function requireRecordName(field: string, value: string): string {
  if (typeof value !== "string" || !RECORD_NAME.test(value)) {
    invalid(field, value, "expected a recorded series named level:metric:operations, e.g. job:orders:rate5m");
  }
  return value;
}

export function requireGroupName(field: string, value: string): string {
  if (typeof value !== "string" || !GROUP_NAME.test(value)) {
    invalid(field, value, "expected a group name of letters, digits, _, - and . (it names the file)");
  }
  return value;
}

export function requireSeverity(field: string, value: string): AlertSeverity {
  if (!SEVERITIES.includes(value)) invalid(field, value, `expected a severity: ${SEVERITIES.join(", ")}`);
  return value as AlertSeverity;
}

/** The mixins' convention: a fixed sentence, so notifications of one alert read alike. */
export function requireSummary(field: string, value: string): string {
  requireText(field, value);
  if (value.includes("{{")) {
    invalid(field, value, "expected a fixed sentence without templates (templates go in the description)");
  }
  return value;
}

/** Labels an alert's input may not set, and why. */
export const RESERVED_LABELS: Record<string, string> = {
  severity: "set it with the severity field",
  alertname: "Prometheus sets it to the alert's name",
};

/** Annotations an alert's input may not set, and why. */
export const RESERVED_ANNOTATIONS: Record<string, string> = {
  summary: "set it with the summary field",
  description: "set it with the description field",
  runbook_url: "set it with the runbookUrl field",
};

/** Label or annotation names and string values; `reserved` names are set another way. */
export function requireStringMap(
  field: string,
  value: Record<string, string> | undefined,
  reserved: Record<string, string> = {},
): Record<string, string> {
  if (value === undefined) return {};
  requireObject(field, value);
  for (const [name, text] of Object.entries(value)) {
    if (!LABEL_NAME.test(name) || name.startsWith("__")) {
      invalid(`${field}.${name}`, name, "expected a name of letters, digits and _ (not starting with __)");
    }
    const why = reserved[name];
    if (why !== undefined) invalid(`${field}.${name}`, name, `reserved: ${why}`);
    if (typeof text !== "string") invalid(`${field}.${name}`, text, "expected a string");
  }
  return value;
}
