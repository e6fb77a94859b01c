// Monitoring coverage, checked on the whole stack: every ECS service is a Prometheus target, and
// every alert Prometheus loads links to its runbook. Both read the generated prometheus.yml and rule
// files where the stack delivers them (S3 objects), so they check what Prometheus will really run.
import { type PolicyResource, type StackValidationPolicy, UnknownValueError } from "@pulumi/policy";
import { parse } from "yaml";
import {
  asArray,
  componentOf,
  containersOf,
  dependency,
  describe,
  isObject,
  type Props,
  textOf,
  TYPES,
} from "./resources";

interface ConfigFile {
  object: PolicyResource;
  key: string;
  content: Props;
}

function objects(resources: PolicyResource[]): PolicyResource[] {
  return resources.filter((r) => (TYPES.bucketObjects as readonly string[]).includes(r.type));
}

function yamlOf(object: PolicyResource): Props | undefined {
  const content = (object.props as Props)["content"];
  if (typeof content !== "string") return undefined;
  const parsed: unknown = parse(content);
  return isObject(parsed) ? parsed : undefined;
}

function prometheusConfigs(resources: PolicyResource[], suffix: string): ConfigFile[] {
  return objects(resources).flatMap((object) => {
    const key = textOf((object.props as Props)["key"] ?? "");
    const content = key.endsWith(suffix) ? yamlOf(object) : undefined;
    return content === undefined ? [] : [{ object, key, content }];
  });
}

/** Whether a Prometheus configuration reads targets from files (the Cloud Map discovery sidecar's). */
function readsTargetFiles(config: Props): boolean {
  return asArray(config["scrape_configs"])
    .filter(isObject)
    .some((job) => asArray(job["file_sd_configs"]).length > 0);
}

/**
 * `service.namespace` of every Cloud Map service a task's discovery container asks
 * DiscoverInstances about (its command calls the API; its TARGETS variable names the services).
 * A task definition not known yet (during a preview) is remembered: it may hold such a container.
 */
function discoveredThroughApi(resources: PolicyResource[]): {
  names: Set<string>;
  unknown?: UnknownValueError;
} {
  const names = new Set<string>();
  let unknown: Error | undefined;
  for (const task of resources.filter((r) => r.type === TYPES.taskDefinition)) {
    let containers;
    try {
      containers = containersOf(task.props as Props);
    } catch (error) {
      if (!(error instanceof UnknownValueError)) throw error;
      unknown = error as Error;
      continue;
    }
    for (const container of containers) {
      if (!(container.command ?? []).some((line) => line.includes("discover-instances"))) continue;
      // TARGETS: a line per discovered service, `namespace service port file`.
      const targets = (container.environment ?? []).find((e) => e.name === "TARGETS")?.value ?? "";
      for (const [namespace, service] of targets.split("\n").map((line) => line.trim().split(/\s+/))) {
        if (namespace && service) names.add(`${service}.${namespace}`);
      }
    }
  }
  return unknown === undefined ? { names } : { names, unknown };
}

/** Host names Prometheus scrapes: static targets (without port) and DNS service discovery names. */
function scrapedHosts(config: Props): Set<string> {
  const hosts = new Set<string>();
  for (const job of asArray(config["scrape_configs"]).filter(isObject)) {
    for (const sd of asArray(job["static_configs"]).filter(isObject)) {
      for (const target of asArray(sd["targets"])) hosts.add(String(target).replace(/:\d+$/, ""));
    }
    for (const sd of asArray(job["dns_sd_configs"]).filter(isObject)) {
      for (const name of asArray(sd["names"])) hosts.add(String(name));
    }
  }
  return hosts;
}

/** `name.namespace` of the Cloud Map service an ECS service registers with, when it does. */
function discoveryName(service: PolicyResource): string | undefined {
  const registry = dependency(service, "serviceRegistries", [TYPES.discoveryService]);
  if (registry === undefined) return undefined;
  const namespace = dependency(registry, "dnsConfig", TYPES.dnsNamespaces);
  const name = String((registry.props as Props)["name"]);
  return namespace === undefined ? name : `${name}.${String((namespace.props as Props)["name"])}`;
}

interface ScrapedConfig {
  configKeySuffix: string;
  exempt: Record<string, string>;
}

const CONFIG_KEY_SUFFIX = {
  type: "string",
  default: "prometheus.yml",
  description: "Key suffix of the S3 objects that are a Prometheus configuration.",
} as const;

export const ecsServicesScraped: StackValidationPolicy = {
  name: "ecs-services-scraped",
  description: "Every ECS service is discoverable in Cloud Map and scraped by the stack's Prometheus.",
  severity: "medium",
  remediationSteps:
    "Register the service in Cloud Map (serviceRegistries) and add a scrape job for its name to the Prometheus configuration, or exempt its component in policy/config.json with the reason.",
  configSchema: {
    properties: {
      configKeySuffix: CONFIG_KEY_SUFFIX,
      exempt: {
        type: "object",
        additionalProperties: { type: "string", minLength: 1 },
        default: {},
        description: "Component tag → why its services are not scraped.",
      },
    },
  },
  validateStack: (args, reportViolation) => {
    const { configKeySuffix, exempt } = args.getConfig<ScrapedConfig>();
    const services = args.resources.filter((r) => r.type === TYPES.ecsService);
    if (services.length === 0) return;
    const configs = prometheusConfigs(args.resources, configKeySuffix);
    if (configs.length === 0) {
      reportViolation(
        `The stack runs ${services.length} ECS services but delivers no Prometheus configuration (no S3 object whose key ends with ${configKeySuffix}).`,
      );
      return;
    }
    const hosts = new Set(configs.flatMap((c) => [...scrapedHosts(c.content)]));
    // Services found through Cloud Map's API count when a Prometheus reads the discovered files.
    const discovered = configs.some((c) => readsTargetFiles(c.content))
      ? discoveredThroughApi(args.resources)
      : { names: new Set<string>() };
    for (const name of discovered.names) hosts.add(name);
    // A Prometheus that scrapes localhost scrapes itself: the component whose config it is.
    const selfScraped = new Set(
      configs
        .filter((c) => ["localhost", "127.0.0.1"].some((host) => scrapedHosts(c.content).has(host)))
        .map((c) => componentOf(c.object)),
    );
    for (const service of services) {
      const component = componentOf(service);
      if (component !== undefined && (exempt[component] !== undefined || selfScraped.has(component)))
        continue;
      const name = discoveryName(service);
      if (name === undefined) {
        reportViolation(
          `ECS service ${describe(service)} is not registered in Cloud Map, so Prometheus cannot discover its tasks.`,
          service.urn,
        );
      } else if (!hosts.has(name)) {
        // Not seen, but a task definition not known yet may discover it: can't tell during preview.
        if (discovered.unknown !== undefined) throw discovered.unknown;
        reportViolation(
          `ECS service ${describe(service)} answers at ${name}, which no Prometheus configuration scrapes (${configs.map((c) => c.key).join(", ")}).`,
          service.urn,
        );
      }
    }
  },
};

interface RunbookConfig {
  configKeySuffix: string;
  urlPattern: string;
}

interface AlertRule {
  alert: string;
  runbook: unknown;
}

/** Alerting rules of a Prometheus rule file; undefined when the object is not one. */
function alertsOf(content: Props | undefined): AlertRule[] | undefined {
  if (content === undefined || !Array.isArray(content["groups"])) return undefined;
  return asArray(content["groups"])
    .filter(isObject)
    .flatMap((group) => asArray(group["rules"]).filter(isObject))
    .filter((rule) => typeof rule["alert"] === "string")
    .map((rule) => ({
      alert: String(rule["alert"]),
      runbook: isObject(rule["annotations"]) ? rule["annotations"]["runbook_url"] : undefined,
    }));
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

export const alertsHaveRunbooks: StackValidationPolicy = {
  name: "alerts-have-runbooks",
  description:
    "Every rule file Prometheus loads is delivered by the stack, and every alert in it links to a runbook.",
  severity: "medium",
  remediationSteps:
    "Give the alert an annotations.runbook_url (a page in docs/runbooks/), and deliver every file listed in rule_files.",
  configSchema: {
    properties: {
      configKeySuffix: CONFIG_KEY_SUFFIX,
      urlPattern: {
        type: "string",
        default: "^https://",
        description: "Regular expression every runbook_url must match.",
      },
    },
  },
  validateStack: (args, reportViolation) => {
    const { configKeySuffix, urlPattern } = args.getConfig<RunbookConfig>();
    const url = new RegExp(urlPattern);
    const ruleFiles = new Map<string, PolicyResource>();
    for (const object of objects(args.resources)) {
      const alerts = alertsOf(yamlOf(object));
      if (alerts === undefined) continue;
      ruleFiles.set(basename(textOf((object.props as Props)["key"] ?? "")), object);
      for (const { alert, runbook } of alerts) {
        if (typeof runbook === "string" && url.test(runbook)) continue;
        reportViolation(
          `Alert ${alert} in ${object.name} has ${
            typeof runbook === "string"
              ? `runbook_url "${runbook}", which does not match ${urlPattern}`
              : "no runbook_url"
          }.`,
          object.urn,
        );
      }
    }
    for (const config of prometheusConfigs(args.resources, configKeySuffix)) {
      for (const path of asArray(config.content["rule_files"]).map(String)) {
        if (!ruleFiles.has(basename(path))) {
          reportViolation(
            `${config.object.name} loads ${path}, but the stack delivers no rule file ${basename(path)}.`,
            config.object.urn,
          );
        }
      }
    }
  },
};
