// The stack files (Pulumi.dev.yaml, Pulumi.prod.yaml) as written, and as the Pulumi engine hands
// them to the program: `project:key` → text, structured values as JSON text. Secrets are not in
// them (they are set with --secret).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { type ConfigSource, NAMESPACE } from "../stack/config";

export type CloudStack = "dev" | "prod";
export const CLOUD_STACKS: readonly CloudStack[] = ["dev", "prod"];

const ROOT = join(import.meta.dirname, "..");

/** The `config:` map of Pulumi.<stack>.yaml, values as YAML typed them. */
export function readStackFile(stack: CloudStack): Record<string, unknown> {
  const file = parse(readFileSync(join(ROOT, `Pulumi.${stack}.yaml`), "utf8")) as {
    config: Record<string, unknown>;
  };
  return file.config;
}

/** Config as the engine passes it: every value text. */
export interface EngineConfig {
  config: Record<string, string>;
  /** Full keys set with --secret. */
  secretKeys: string[];
}

/** The stack file as the engine passes it to the program (no secrets). */
export function engineConfig(stack: CloudStack): EngineConfig {
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(readStackFile(stack))) {
    config[key] = typeof value === "string" ? value : JSON.stringify(value);
  }
  return { config, secretKeys: [] };
}

/** A ConfigSource over engine config (what pulumiConfigSource reads in a real program). */
export function configSource(values: EngineConfig, stack: string): ConfigSource {
  const prefix = `${NAMESPACE}:`;
  return {
    stack,
    keys: () =>
      Object.keys(values.config)
        .filter((k) => k.startsWith(prefix))
        .map((k) => k.slice(prefix.length)),
    get: (key) => values.config[prefix + key],
    isSecret: (key) => values.secretKeys.includes(prefix + key),
    awsRegion: values.config["aws:region"],
  };
}
