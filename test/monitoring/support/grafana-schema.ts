// The dashboard schema Grafana publishes for the version we deploy (npm @grafana/schema, its
// TypeScript declarations generated from Grafana's CUE kinds), turned into JSON Schema with
// ts-json-schema-generator and checked with Ajv. Objects are closed (no unknown keys), as the
// panels' CUE definitions are; enums become their values, so a JSON document can be checked.
import { createRequire } from "node:module";
import path from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import {
  createFormatter,
  createParser,
  createProgram,
  DEFAULT_CONFIG,
  SchemaGenerator,
  type CompletedConfig,
} from "ts-json-schema-generator";
import ts from "typescript";

const require = createRequire(import.meta.url);
const TYPES = path.join(path.dirname(require.resolve("@grafana/schema/package.json")), "dist", "types");

/** The @grafana/schema release installed: it must be the deployed Grafana's version. */
export const SCHEMA_VERSION = (require("@grafana/schema/package.json") as { version: string }).version;

/** The panel types our dashboards use; each is a plugin folder of @grafana/schema. */
export const PANEL_TYPES = ["timeseries", "stat", "table", "heatmap"] as const;
export type PanelType = (typeof PANEL_TYPES)[number];

const FILES = {
  dashboard: "raw/dashboard/x/types.gen.d.ts",
  cloudwatch: "raw/composable/cloudwatch/dataquery/x/types.gen.d.ts",
  ...Object.fromEntries(
    PANEL_TYPES.map((type) => [type, `raw/composable/${type}/panelcfg/x/types.gen.d.ts`]),
  ),
} as Record<"dashboard" | "cloudwatch" | PanelType, string>;

/** Problems as "path: message (key)"; empty when the value is valid. */
export type SchemaCheck = (value: unknown) => string[];

export interface GrafanaSchema {
  version: string;
  /** The dashboard JSON model (panel options, field config `custom` and queries are plugin-defined). */
  dashboard: SchemaCheck;
  /** A panel type's `options` and `fieldConfig.defaults.custom` (absent where the type has none). */
  panels: Record<PanelType, { options: SchemaCheck; fieldConfig: SchemaCheck }>;
  cloudwatchMetricsQuery: SchemaCheck;
}

function check(validate: ValidateFunction): SchemaCheck {
  return (value) =>
    validate(value)
      ? []
      : (validate.errors ?? []).map((e) => {
          const key = "additionalProperty" in e.params ? ` (${String(e.params["additionalProperty"])})` : "";
          return `${e.instancePath || "/"}: ${e.message ?? e.keyword}${key}`;
        });
}

/**
 * One TypeScript program over the declarations (every panel names its types `Options` and
 * `FieldConfig`, so each root is picked by file); reading them takes the compiler a few seconds.
 */
export function loadGrafanaSchema(): GrafanaSchema {
  const config: CompletedConfig = {
    ...DEFAULT_CONFIG,
    path: path.join(TYPES, `{${Object.values(FILES).join(",")}}`),
    skipTypeCheck: true,
    additionalProperties: false,
    topRef: false,
  };
  const program = createProgram(config);
  const generator = (settings: CompletedConfig) =>
    new SchemaGenerator(program, createParser(program, settings), createFormatter(settings), settings);
  const named = generator(config);
  // CloudWatch's query extends DataQuery, which the package declares twice (raw and veneer) under
  // one name: inline every type instead of naming it.
  const inlined = generator({ ...config, expose: "none" });
  const ajv = new Ajv({ allErrors: true, strict: false });
  const find = (file: keyof typeof FILES, name: string) =>
    program
      .getSourceFile(path.join(TYPES, FILES[file]))
      ?.statements.find(
        (s) => (ts.isInterfaceDeclaration(s) || ts.isTypeAliasDeclaration(s)) && s.name.text === name,
      );
  const checker = (file: keyof typeof FILES, name: string, using = named): SchemaCheck => {
    const node = find(file, name);
    if (!node) throw new Error(`@grafana/schema ${SCHEMA_VERSION} has no type ${name} in ${FILES[file]}`);
    return check(ajv.compile(using.createSchemaFromNodes([node])));
  };
  const fieldConfig = (type: PanelType): SchemaCheck =>
    find(type, "FieldConfig")
      ? checker(type, "FieldConfig")
      : (custom) => (custom === undefined ? [] : [`/: ${type} panels have no custom field config`]);
  return {
    version: SCHEMA_VERSION,
    dashboard: checker("dashboard", "Dashboard"),
    panels: Object.fromEntries(
      PANEL_TYPES.map((type) => [
        type,
        { options: checker(type, "Options"), fieldConfig: fieldConfig(type) },
      ]),
    ) as GrafanaSchema["panels"],
    cloudwatchMetricsQuery: checker("cloudwatch", "CloudWatchMetricsQuery", inlined),
  };
}
