// Running buildah and podman on this kind of machine: which tools are needed, how to tell the user
// when they are missing, and the flags every container needs here (runc, resource limits).
import { execFile, spawn } from "node:child_process";
import { accessSync, constants, readFileSync } from "node:fs";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

/** Debian packages the image build and the container test need. */
export const CONTAINER_PACKAGES = [
  "buildah",
  "podman",
  "debootstrap",
  "runc",
  "uidmap",
  "containernetworking-plugins",
] as const;

const COMMANDS = ["buildah", "podman", "debootstrap", "runc", "newuidmap"];

export const INSTALL_HINT =
  "run `bash tools/ensure-tools.sh` as root on Debian 12, or install them yourself: " +
  `apt-get install -y --no-install-recommends ${CONTAINER_PACKAGES.join(" ")}`;

function onPath(command: string): boolean {
  const dirs = (process.env.PATH ?? "").split(":").filter((d) => d !== "");
  return dirs.some((dir) => {
    try {
      accessSync(`${dir}/${command}`, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * Throws, saying what to install, unless this machine can build and run containers: the tools on
 * PATH, and root (debootstrap and rootful podman need it).
 */
export function requireContainerTools(): void {
  const missing = COMMANDS.filter((command) => !onPath(command));
  if (missing.length > 0)
    throw new Error(`cannot build or run containers: ${missing.join(", ")} not found; ${INSTALL_HINT}`);
  if (process.getuid?.() !== 0)
    throw new Error(
      "cannot build or run containers: debootstrap and rootful podman need root; run as root (CI does)",
    );
}

/** The hard limit of this process for a resource of /proc/self/limits, e.g. "Max open files". */
function hardLimit(name: string): number | undefined {
  const line = readFileSync("/proc/self/limits", "utf8")
    .split("\n")
    .find((l) => l.startsWith(name));
  const hard = line?.slice(name.length).trim().split(/\s+/)[1];
  return hard === undefined || hard === "unlimited" ? undefined : Number(hard);
}

/**
 * `--ulimit` flags for buildah and podman. Without CAP_SYS_RESOURCE (this machine) runc cannot
 * raise a limit: buildah's and podman's defaults (nofile 1048576) then fail with "setrlimit:
 * operation not permitted". Ask for no more than this process has, and for nproc no more than
 * podman's own 32768 (it lowers itself to that before starting runc).
 */
export function ulimitFlags(): string[] {
  const nofile = Math.min(hardLimit("Max open files") ?? 1_048_576, 1_048_576);
  const nproc = Math.min(hardLimit("Max processes") ?? 32_768, 32_768);
  return ["--ulimit", `nofile=${nofile}:${nofile}`, "--ulimit", `nproc=${nproc}:${nproc}`];
}

/** crun refuses the hybrid cgroup layout here ("cgroups in hybrid mode not supported"). */
export const RUNTIME_FLAGS = ["--runtime", "runc"];

/** Runs a command to completion; rejects with its stderr when it fails. */
export async function capture(command: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await execFileAsync(command, args, { maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new Error(`${command} ${args.join(" ")} failed${stderr ? `: ${stderr}` : ""}`);
  }
}

/** Runs a command with its output shown as it comes; rejects naming the command when it fails. */
export function runShown(command: string, args: string[], options: { cwd?: string } = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, stdio: ["ignore", "inherit", "inherit"] });
    child.once("error", (error) => reject(new Error(`could not start ${command}: ${error.message}`)));
    child.once("exit", (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args[0] ?? ""} failed (${code ?? signal})`)),
    );
  });
}
