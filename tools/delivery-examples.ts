// `npm run delivery-examples [-- --readme FILE]`: writes the README's examples of what a pull request shows, rendered
// from our own program, never by hand: the preview comment of the prod stack, and the policy
// violations a bad change to Pulumi.prod.yaml gets from the policy pack. test/delivery/readme.test.ts
// fails when the README's block is not what this renders now.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { type StackValues, stackValues, withField } from "../test/infra/stack-files";
import { PolicyPackProcess, readConfigFile, reconcileConfig } from "../test/policy/policy-engine";
import { collectResourceSet, type ResourceSet } from "../test/policy/resource-set";
import { type Pack, policiesSection, previewComment, previewOutput } from "./pulumi-display";

const ROOT = join(import.meta.dirname, "..");
export const README = join(ROOT, "README.md");
const START = "<!-- delivery-examples:start (npm run delivery-examples writes this block) -->";
const END = "<!-- delivery-examples:end -->";

/** The bad change: settings stack/config.ts accepts and the policy pack does not. */
export const VIOLATING_CHANGE = {
  app: { image: "ghcr.io/example-org/showcase-api:latest" },
  prometheus: { allowedCidrs: ["10.100.0.0/16", "172.16.0.0/12"] },
} as const;

export type Scenario = "preview" | "violating";

export function scenarioValues(scenario: Scenario): StackValues {
  let values = stackValues("prod");
  if (scenario === "violating") {
    for (const [key, fields] of Object.entries(VIOLATING_CHANGE)) {
      for (const [field, value] of Object.entries(fields)) values = withField(values, key, field, value);
    }
  }
  return values;
}

/** The README block for these resource sets, with the pack's verdicts on them. */
export async function examplesBlock(
  pack: PolicyPackProcess,
  preview: ResourceSet,
  violating: ResourceSet,
): Promise<string> {
  const info = await pack.info();
  await pack.configure(reconcileConfig(info.policies, readConfigFile()));
  const about: Pack = { name: info.name, version: info.version, path: "policy" };
  const previewViolations = await pack.analyze(preview);
  const violations = await pack.analyze(violating);
  if (violations.length === 0)
    throw new Error("the violating change violates no policy: fix VIOLATING_CHANGE");
  const comment = previewComment(preview, previewOutput(preview, about, previewViolations));
  const change = stringify(
    Object.fromEntries(
      Object.entries(VIOLATING_CHANGE).map(([key, value]) => [`showcase-monitoring:${key}`, value]),
    ),
  );
  return [
    START,
    "",
    `A pull request's preview of ${preview.stack} (here the first deployment, so every resource is to be`,
    "created). awsx's `Vpc` and `Image` are remote components: a real preview also lists their subnets,",
    "route tables, NAT gateways and image build under them.",
    "",
    comment
      .split("\n")
      .map((line) => (line === "" ? ">" : `> ${line}`))
      .join("\n"),
    "",
    `A pull request that changes \`Pulumi.${violating.stack}.yaml\` like this passes the stack's own validation:`,
    "",
    "```yaml",
    change.trimEnd(),
    "```",
    "",
    "but not the policy pack. A mandatory violation fails the preview, so pulumi/actions posts no comment;",
    "the job fails and its log shows:",
    "",
    "```text",
    ...policiesSection(violating, about, violations).slice(0, -1),
    "```",
    "",
    END,
  ].join("\n");
}

/** README's current block, markers included. */
export function readmeBlock(readme = readFileSync(README, "utf8")): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start === -1 || end === -1) throw new Error(`README.md has no ${START} ... ${END} block`);
  return readme.slice(start, end + END.length);
}

/** Collects a scenario's resource set in a fresh process (a program runs once per process). */
function collectInChild(scenario: Scenario): ResourceSet {
  const dir = mkdtempSync(join(tmpdir(), "delivery-examples-"));
  try {
    const out = join(dir, "set.json");
    const tsx = createRequire(import.meta.url).resolve("tsx/cli");
    execFileSync(process.execPath, [tsx, __filename, "--collect", scenario, out], {
      cwd: ROOT,
      stdio: "inherit",
    });
    return JSON.parse(readFileSync(out, "utf8")) as ResourceSet;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === "--collect") {
    const scenario = argv[1] as Scenario;
    writeFileSync(argv[2] ?? "", JSON.stringify(await collectResourceSet("prod", scenarioValues(scenario))));
    return;
  }
  const target = argv[0] === "--readme" && argv[1] !== undefined ? argv[1] : README;
  const preview = collectInChild("preview");
  const violating = collectInChild("violating");
  const pack = await PolicyPackProcess.start();
  try {
    const block = await examplesBlock(pack, preview, violating);
    const readme = readFileSync(target, "utf8");
    writeFileSync(target, readme.replace(readmeBlock(readme), block));
    console.log(`delivery-examples: wrote the block to ${target}`);
  } finally {
    await pack.stop();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(`delivery-examples: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
