// The three layers that check a value agree because they use the same value schema of the package:
// the stack configuration (stack/schema.ts), the generators' input checks and the components'
// argument checks. A value one rejects the others reject with the same problem, each naming its
// own key, so a preview fails on the `showcase-monitoring:` key rather than inside an apply.
import * as pulumi from "@pulumi/pulumi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as Components from "showcase-monitoring";
import {
  renderAlertmanagerConfig,
  renderPrometheusConfig,
  renderRuleFiles,
} from "showcase-monitoring/monitoring";
import { problemOf, schemas, thresholdSchemas, type z } from "showcase-monitoring/schema";
import { ConfigError, parseStackConfig } from "../../stack/config";
import { monitoringProfile } from "../../tools/profiles";
import { placement } from "./fixtures";
import { installMocks, type Recorder, settle } from "./harness";
import { configSource, stackValues, type StackValues, withField } from "./stack-files";

const dev = stackValues("dev");
const prod = stackValues("prod");
const profile = monitoringProfile("prod");
const PROD_EMAIL = (JSON.parse(prod.config["showcase-monitoring:receivers"] ?? "{}") as { email: object })
  .email;

/** The stack's error for `values`, or undefined when it parses. */
function stackError(values: StackValues): string | undefined {
  try {
    parseStackConfig(configSource(values, "dev"));
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
}

function errorOf(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

let recorder: Recorder;
let components: typeof Components;
beforeAll(async () => {
  recorder = await installMocks({ stack: "test" });
  components = await import("showcase-monitoring");
});
afterAll(() => settle(recorder));

const alertingArgs = (): Components.AlertingRulesArgs => ({
  ...placement,
  rules: profile.rules,
  receivers: {
    email: {
      to: "oncall@example.com",
      from: "am@example.com",
      smarthost: "smtp.example.com:587",
      username: "am",
      password: pulumi.secret("smtp-password"),
    },
  },
});
let instances = 0;
/** Builds a component; its error's message, or undefined when it accepts the args. */
function componentError(build: (name: string) => unknown): string | undefined {
  try {
    build(`agreement${instances++}`);
    return undefined;
  } catch (error) {
    expect(pulumi.ResourceError.isInstance(error)).toBe(true);
    return (error as Error).message;
  }
}
const alertingRules = (args: Components.AlertingRulesArgs) => (name: string) =>
  new components.AlertingRules(name, args);
const grafanaContent = (args: Partial<Components.GrafanaContentArgs["prometheus"]>) => (name: string) =>
  new components.GrafanaContent(name, {
    prometheus: { url: "http://prometheus:9090", ...args },
    dashboards: [],
  });

interface Layered {
  /** The stack key, below the namespace. */
  key: string;
  /** The package's value schema every layer checks it with. */
  schema: z.ZodType;
  bad: unknown[];
  stack: (value: unknown) => StackValues;
  /** The generator's field and its run on the value. */
  generator: [field: string, run: (value: never) => unknown];
  /** The component's argument and its construction with the value. */
  component: [arg: string, build: (value: never) => (name: string) => unknown];
}

const durations = ["1s1h", "0s", "5 minutes", "1.5h"];
const layered: Layered[] = [
  {
    key: "prometheus.scrapeInterval",
    schema: schemas.duration,
    bad: durations,
    stack: (value) => withField(dev, "prometheus", "scrapeInterval", value),
    generator: [
      "scrapeInterval",
      (value: string) => renderPrometheusConfig({ ...profile.prometheus, scrapeInterval: value }),
    ],
    component: ["prometheus.scrapeInterval", (value: string) => grafanaContent({ scrapeInterval: value })],
  },
  {
    key: "receivers.groupWait",
    schema: schemas.duration,
    bad: durations,
    stack: (value) => withField(dev, "receivers", "groupWait", value),
    generator: [
      "groupWait",
      (value: string) => renderAlertmanagerConfig({ ...profile.alertmanager, groupWait: value }),
    ],
    component: [
      "receivers.groupWait",
      (value: string) =>
        alertingRules({ ...alertingArgs(), receivers: { ...alertingArgs().receivers, groupWait: value } }),
    ],
  },
  {
    key: "alertThresholds.for",
    schema: schemas.duration,
    bad: durations,
    stack: (value) => withField(dev, "alertThresholds", "for", value),
    generator: [
      "thresholds.for",
      (value: string) => renderRuleFiles({ ...profile.rules, thresholds: { for: value } }),
    ],
    component: [
      "rules.thresholds.for",
      (value: string) =>
        alertingRules({ ...alertingArgs(), rules: { ...profile.rules, thresholds: { for: value } } }),
    ],
  },
  {
    key: "receivers.email.smarthost",
    schema: schemas.hostPort,
    bad: ["smtp.example.com:70000", "smtp.example.com:0", "smtp.example.com", "smtps://smtp.example.com:465"],
    stack: (value) => withField(prod, "receivers", "email", { ...PROD_EMAIL, smarthost: value }),
    generator: [
      "email.smarthost",
      (value: string) =>
        renderAlertmanagerConfig({
          email: {
            to: "a@example.com",
            from: "b@example.com",
            smarthost: value,
            username: "u",
            passwordFile: "/p",
          },
        }),
    ],
    component: [
      "receivers.email.smarthost",
      (value: string) => {
        const args = alertingArgs();
        const email = args.receivers.email;
        if (email === undefined) throw new Error("alertingArgs has an email receiver");
        return alertingRules({ ...args, receivers: { email: { ...email, smarthost: value } } });
      },
    ],
  },
  {
    key: "alertThresholds.errorRatio",
    schema: schemas.fraction,
    bad: [1.5, 1, 0, -0.1],
    stack: (value) => withField(dev, "alertThresholds", "errorRatio", value),
    generator: [
      "thresholds.errorRatio",
      (value: number) => renderRuleFiles({ ...profile.rules, thresholds: { errorRatio: value } }),
    ],
    component: [
      "rules.thresholds.errorRatio",
      (value: number) =>
        alertingRules({ ...alertingArgs(), rules: { ...profile.rules, thresholds: { errorRatio: value } } }),
    ],
  },
];

describe.each(layered)("$key", ({ key, schema, bad, stack, generator, component }) => {
  it.each(bad)("%j is rejected by the stack, the generator and the component, with one problem", (value) => {
    const problem = problemOf(schema, value);
    expect(problem, "the value schema rejects it").toBeDefined();
    expect(stackError(stack(value))).toBe(
      `showcase-monitoring:${key} ${problem}, got ${JSON.stringify(value)}`,
    );
    expect(errorOf(() => generator[1](value as never))).toContain(`${generator[0]}: ${problem}`);
    const fromComponent = componentError(component[1](value as never));
    expect(fromComponent).toMatch(new RegExp(`^agreement\\d+: ${component[0]}`));
    expect(fromComponent).toContain(problem);
  });
});

describe("what the stack accepts, the generators accept, and the reverse", () => {
  const probes = ["1h30m", "15s", "90s", "1d", "1w", "5m0s", "1ms", ...durations];
  it.each(probes)("duration %j: scrapeInterval, groupWait and alertThresholds.for", (value) => {
    const accepted = problemOf(schemas.duration, value) === undefined;
    expect(stackError(withField(dev, "prometheus", "scrapeInterval", value)) === undefined).toBe(accepted);
    expect(
      errorOf(() => renderPrometheusConfig({ ...profile.prometheus, scrapeInterval: value })) === undefined,
    ).toBe(accepted);
    expect(
      errorOf(() => renderAlertmanagerConfig({ ...profile.alertmanager, groupWait: value })) === undefined,
    ).toBe(accepted);
    expect(
      errorOf(() => renderRuleFiles({ ...profile.rules, thresholds: { for: value } })) === undefined,
    ).toBe(accepted);
  });

  // The latency bounds are left out: the stack also requires p99 above p90 (so does the sense of it).
  const numeric = Object.keys(thresholdSchemas).filter(
    (key) => !["for", "latencyP99Seconds", "latencyP90Seconds"].includes(key),
  );
  const values = [-1, 0, 0.001, 0.5, 0.999, 1, 1.5, 250];
  it.each(numeric)("threshold %s: the same values", (key) => {
    for (const value of values) {
      const stack = stackError(withField(dev, "alertThresholds", key, value)) === undefined;
      const generator =
        errorOf(() => renderRuleFiles({ ...profile.rules, thresholds: { [key]: value } })) === undefined;
      expect(stack, `${key} = ${value}`).toBe(generator);
    }
  });

  it("CIDRs: every list the stack takes is made of the package's CIDRs", () => {
    // No generator reads a CIDR, and the components pass allowedCidrs to AWS unchecked: the stack
    // and the package's schema are the layers that check them.
    for (const value of ["10.0.0.0/33", "10.0.0/16", "300.1.0.0/16", "010.0.0.0/8", "10.0.0.0"]) {
      const problem = problemOf(schemas.cidr, value);
      expect(problem, value).toBeDefined();
      for (const section of ["app", "grafana", "prometheus"]) {
        expect(stackError(withField(dev, section, "allowedCidrs", [value]))).toBe(
          `showcase-monitoring:${section}.allowedCidrs[0] ${problem}, got ${JSON.stringify(value)}`,
        );
      }
    }
    expect(
      stackError(withField(dev, "grafana", "allowedCidrs", ["10.0.0.0/8", "203.0.113.7/32"])),
    ).toBeUndefined();
  });
});
