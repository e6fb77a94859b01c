// The repository's GitHub Actions files, parsed for the workflow tests: workflows, the local
// composite action, and every step that uses an action, with where it sits.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";

export const ROOT = join(import.meta.dirname, "..", "..");
export const WORKFLOW_DIR = join(ROOT, ".github", "workflows");
export const LOCAL_ACTION = "./.github/actions/pulumi";

export interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}

export interface Job {
  uses?: string;
  needs?: string | string[];
  if?: string;
  environment?: string | { name: string };
  permissions?: Record<string, string>;
  concurrency?: { group: string; "cancel-in-progress"?: boolean | string };
  strategy?: { matrix?: Record<string, unknown[]> };
  steps?: Step[];
}

export interface Workflow {
  file: string;
  text: string;
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

export interface ActionMetadata {
  file: string;
  text: string;
  inputs: Record<string, { required?: boolean; default?: string }>;
  runs: { using: string; steps: Step[] };
}

export function workflows(): Workflow[] {
  return readdirSync(WORKFLOW_DIR)
    .filter((f) => f.endsWith(".yml") || f.endsWith(".yaml"))
    .sort()
    .map((f) => {
      const file = join(WORKFLOW_DIR, f);
      const text = readFileSync(file, "utf8");
      // YAML 1.1 readers (GitHub's) take a bare `on` for true; the `yaml` package reads 1.2.
      return { file, text, ...(parse(text) as Omit<Workflow, "file" | "text">) };
    });
}

export function localAction(path = LOCAL_ACTION): ActionMetadata {
  const file = join(ROOT, path, "action.yml");
  const text = readFileSync(file, "utf8");
  return { file, text, ...(parse(text) as Omit<ActionMetadata, "file" | "text">) };
}

export interface UsedStep {
  /** Workflow file or action.yml. */
  file: string;
  job: string | undefined;
  step: Step;
  /** `owner/repo` (or `./path` for a local action) and the ref after `@`. */
  action: string;
  ref: string;
}

function used(file: string, job: string | undefined, steps: Step[]): UsedStep[] {
  return steps
    .filter((step) => typeof step.uses === "string")
    .map((step) => {
      const [action = "", ref = ""] = String(step.uses).split("@");
      return { file, job, step, action, ref };
    });
}

/** Every step that uses an action, in the workflows and in the local action. */
export function actionSteps(): UsedStep[] {
  const action = localAction();
  return [
    ...workflows().flatMap((w) =>
      Object.entries(w.jobs).flatMap(([name, job]) => used(w.file, name, job.steps ?? [])),
    ),
    ...used(action.file, undefined, action.runs.steps),
  ];
}

/** The values a job's `${{ matrix.x }}` takes, or the literal value. */
export function valuesOf(job: Job, value: unknown): string[] {
  const text = String(value);
  const matrix = /^\$\{\{\s*matrix\.(\w+)\s*\}\}$/.exec(text);
  if (matrix === null) return [text];
  const values = job.strategy?.matrix?.[matrix[1] ?? ""];
  if (values === undefined) throw new Error(`no matrix.${matrix[1] ?? ""} in the job`);
  return values.map(String);
}
