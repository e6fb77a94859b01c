// Runs a Pulumi TypeScript program the way Pulumi's Node.js language host does, under mocks, in a
// fresh process: ts-node registered with the project's tsconfig.json and typescript (type-checking
// on), then require of the program. A program that would not start under `pulumi up` fails here.
import { execFile } from "node:child_process";
import { promisify } from "node:util";

// Mirrors @pulumi/pulumi/cmd/run/run.js for a CommonJS TypeScript project. The mocks module is
// loaded through the same ts-node, from the program's own node_modules (one SDK copy).
const LOADER = `
const path = require("node:path");
const tsutils = require("@pulumi/pulumi/tsutils");
const compilerOptions = tsutils.loadTypeScriptCompilerOptions("tsconfig.json");
const { tsnodeRequire, typescriptRequire } = tsutils.typeScriptRequireStrings();
require(tsnodeRequire).register({
  compiler: typescriptRequire,
  transpileOnly: compilerOptions.noCheck,
  project: "tsconfig.json",
  skipProject: false,
  compilerOptions: {
    target: "ES2020",
    module: "nodenext",
    moduleResolution: "nodenext",
    sourceMap: "true",
    ...compilerOptions,
  },
});
const pulumi = require("@pulumi/pulumi");
const { project, stack, config, secretKeys, mocks, main } = JSON.parse(process.env.PROGRAM_UNDER_TEST);
const { installMocks, settle } = require(path.resolve(mocks));
(async () => {
  const recorder = await installMocks({ project, stack, config, secretKeys });
  const program = require(path.resolve(main ?? require("./package.json").main));
  const outputs = await new Promise((resolve) => pulumi.output(program).apply(resolve));
  await settle(recorder);
  const resources = recorder.resources.map(({ type, name, inputs }) => ({ type, name, inputs }));
  process.stdout.write(JSON.stringify({ resources, outputs }));
})().catch((error) => {
  process.stderr.write(String((error && error.stack) || error));
  process.exit(1);
});
`;

export interface ProgramRun {
  resources: { type: string; name: string; inputs: Record<string, unknown> }[];
  outputs: Record<string, unknown>;
}

export async function runLikePulumi(options: {
  /** The program's project directory (package.json, tsconfig.json, node_modules). */
  cwd: string;
  /** Pulumi project name. Default showcase-monitoring. */
  project?: string;
  stack: string;
  config: Record<string, string>;
  secretKeys: string[];
  /** Path of the mocks module (test/infra/mocks.ts or a copy), relative to `cwd`. */
  mocks: string;
  /** The program file; default the package's `main`, as Pulumi does. */
  main?: string;
}): Promise<ProgramRun> {
  const { cwd, ...program } = options;
  const { stdout } = await promisify(execFile)(process.execPath, ["-e", LOADER], {
    cwd,
    env: { ...process.env, PROGRAM_UNDER_TEST: JSON.stringify(program) },
    maxBuffer: 256 * 1024 * 1024,
  });
  return JSON.parse(stdout) as ProgramRun;
}
