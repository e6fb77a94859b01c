// `npm run stack-docs`: writes docs/stack-configuration.md from the stack schema (every key, what
// it means, its default, what is allowed), the secrets' rules and the dev and prod values of the
// stack files, into the prose of tools/stack-docs.template.md. test/infra/stack-docs.test.ts fails
// when the committed file is not what this renders now.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { APP_SERVICE_LIMITS } from "showcase-monitoring";
import { schemas, type z } from "showcase-monitoring/schema";
import { parseStackConfig } from "../stack/config";
import { defOf, type SettingMeta } from "../stack/fields";
import { stackSchema } from "../stack/schema";
import { SECRET_KEYS, SECRETS } from "../stack/secrets";
import { CLOUD_STACKS, type CloudStack, configSource, engineConfig, readStackFile } from "./stack-files";

const ROOT = join(import.meta.dirname, "..");
export const STACK_DOCS = join(ROOT, "docs", "stack-configuration.md");
const TEMPLATE = join(import.meta.dirname, "stack-docs.template.md");

/** What a setting built by stack/fields.ts `setting` is made of. */
interface Setting {
  meta: SettingMeta;
  /** Its default; `required` when it has none and may not be left out. */
  fallback: { value: unknown } | "required" | "optional";
  /** The schema under the wrappers: a value schema, or an object of settings. */
  value: z.ZodType;
}

function settingOf(schema: z.ZodType): Setting {
  const meta = schema.meta() as SettingMeta | undefined;
  const def = defOf(schema);
  if (meta?.description === undefined || def.type !== "pipe" || def.out === undefined)
    throw new Error("not a stack setting (stack/fields.ts `setting`)");
  const wrapped = defOf(def.out);
  if (wrapped.innerType === undefined) return { meta, fallback: "required", value: def.out };
  // A default, or optional (and a section's prefault: every field takes its own default).
  const fallback = wrapped.type === "default" ? { value: wrapped.defaultValue } : "optional";
  return { meta, fallback, value: wrapped.innerType };
}

/** The object of settings under a section's checks and transforms, if `schema` is one. */
function sectionShape(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  const def = defOf(schema);
  if (def.type === "object") return (schema as z.ZodObject).shape;
  if (def.type === "pipe" && def.in !== undefined) return sectionShape(def.in);
  return undefined;
}

/** The `allowed` text of a value schema (its metadata, under any transform). */
function allowedOf(schema: z.ZodType): string {
  const allowed = (schema.meta() as { allowed?: string } | undefined)?.allowed;
  if (allowed !== undefined) return allowed;
  const def = defOf(schema);
  const inner = def.innerType ?? (def.type === "pipe" ? def.in : undefined);
  if (inner === undefined) throw new Error(`a value schema of type ${def.type} without an allowed text`);
  return allowedOf(inner);
}

function text(value: unknown): string {
  if (value === undefined) return "unset";
  return `\`${typeof value === "string" ? value : JSON.stringify(value)}\``;
}

function defaultText(setting: Setting): string {
  if (setting.meta.defaultText !== undefined) return setting.meta.defaultText;
  if (setting.fallback === "required") return "required";
  if (setting.fallback === "optional") return "unset";
  return text(setting.fallback.value);
}

const cell = (value: string) => value.replaceAll("|", "\\|").replaceAll("\n", " ");

function table(head: string[], rows: string[][]): string {
  return [head, head.map(() => "---"), ...rows].map((row) => `| ${row.map(cell).join(" | ")} |`).join("\n");
}

type StackFiles = Record<CloudStack, Record<string, unknown>>;

/** The value a stack file gives `path` (under the namespace), or undefined. */
function valueAt(file: Record<string, unknown>, path: string[]): unknown {
  const [top, ...rest] = path;
  let value: unknown = file[`showcase-monitoring:${top}`];
  for (const key of rest) value = (value as Record<string, unknown> | undefined)?.[key];
  return value;
}

/** Rows of a section's settings (`path` leads to it); nested sections (receivers.email) add dotted rows. */
function rows(shape: Record<string, z.ZodType>, path: string[], files: StackFiles): string[][] {
  return Object.entries(shape).flatMap(([key, schema]) => {
    const setting = settingOf(schema);
    const name = [...path.slice(1), key].join(".");
    const at = [...path, key];
    const nested = sectionShape(setting.value);
    const allowed = nested === undefined ? allowedOf(setting.value) : "an object of the fields below";
    const values = CLOUD_STACKS.map((stack) => {
      const value = valueAt(files[stack], at);
      return nested === undefined || value === undefined ? text(value) : "set";
    });
    const row = [`\`${name}\``, setting.meta.description, allowed, defaultText(setting), ...values];
    return [row, ...(nested === undefined ? [] : rows(nested, at, files))];
  });
}

const HEAD = ["key", "meaning", "allowed", "default", ...CLOUD_STACKS];

function settingsSections(files: StackFiles): string {
  const region = [
    "`aws:region`",
    "AWS region of every resource",
    allowedOf(schemas.awsRegion),
    "required",
    ...CLOUD_STACKS.map((stack) => text(files[stack]["aws:region"])),
  ];
  const topLevel: string[][] = [region];
  const sections: string[] = [];
  for (const [key, schema] of Object.entries(stackSchema.shape)) {
    const setting = settingOf(schema);
    const shape = sectionShape(setting.value);
    if (shape === undefined) {
      topLevel.push(...rows({ [key]: schema }, [], files));
      continue;
    }
    sections.push(
      `## \`${key}\`\n\n${setting.meta.description}.\n\n${table(HEAD, rows(shape, [key], files))}`,
    );
  }
  return [`## Top-level keys\n\n${table(HEAD, topLevel)}`, ...sections].join("\n\n");
}

function secretsTable(): string {
  return table(
    ["secret", "needed when", "set with"],
    SECRET_KEYS.map((key) => [
      `\`${key}\``,
      SECRETS[key].neededWhen,
      `\`pulumi config set --secret ${key} '${SECRETS[key].example}'\``,
    ]),
  );
}

/** The stack's own error for a maxCount too large: the docs show the real message. */
function exampleError(): string {
  const values = engineConfig("dev");
  const app = JSON.parse(values.config["showcase-monitoring:app"] ?? "{}") as Record<string, unknown>;
  values.config["showcase-monitoring:app"] = JSON.stringify({
    ...app,
    maxCount: APP_SERVICE_LIMITS.maxCount + 1,
  });
  try {
    parseStackConfig(configSource(values, "dev"));
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("the example configuration parsed: pick a setting the schema rejects");
}

/** docs/stack-configuration.md as the schema and the stack files make it now. */
export function renderStackDocs(): string {
  const files: StackFiles = { dev: readStackFile("dev"), prod: readStackFile("prod") };
  const parts: Record<string, string> = {
    example: exampleError(),
    secrets: secretsTable(),
    settings: settingsSections(files),
  };
  return readFileSync(TEMPLATE, "utf8").replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const part = parts[name];
    if (part === undefined) throw new Error(`${TEMPLATE}: no part named {{${name}}}`);
    return part;
  });
}

if (require.main === module) {
  writeFileSync(STACK_DOCS, renderStackDocs());
  console.log(`stack-docs: wrote ${STACK_DOCS}`);
}
