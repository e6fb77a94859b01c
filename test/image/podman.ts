// Containers of the service's image for the tests: podman on the host network (the private
// PostgreSQL listens on loopback only), with the flags this machine needs.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { capture, RUNTIME_FLAGS, ulimitFlags } from "../../tools/containers";

const execFileAsync = promisify(execFile);

export interface Container {
  readonly name: string;
  /** A command inside the running container, as the image's user; resolves with its stdout. */
  exec(...command: string[]): Promise<string>;
  /** Everything the container wrote to stdout and stderr so far. */
  logs(): Promise<string>;
  /** `podman stop`: SIGTERM, SIGKILL after `graceSeconds`; resolves with the exit code. */
  stop(graceSeconds: number): Promise<number>;
  remove(): Promise<void>;
}

export async function runContainer(image: string, env: Record<string, string>): Promise<Container> {
  const name = `showcase-image-test-${randomBytes(4).toString("hex")}`;
  const envFlags = Object.entries(env).flatMap(([key, value]) => ["--env", `${key}=${value}`]);
  await capture("podman", [
    "run",
    "--detach",
    "--name",
    name,
    ...RUNTIME_FLAGS,
    ...ulimitFlags(),
    "--network",
    "host",
    ...envFlags,
    image,
  ]);
  return {
    name,
    exec: (...command) => capture("podman", ["exec", name, ...command]),
    // podman logs writes the container's stderr to its own stderr: keep both.
    logs: async () => {
      const { stdout, stderr } = await execFileAsync("podman", ["logs", name], {
        maxBuffer: 16 * 1024 * 1024,
      });
      return stdout + stderr;
    },
    async stop(graceSeconds) {
      await capture("podman", ["stop", "--time", String(graceSeconds), name]);
      return Number((await capture("podman", ["inspect", name, "--format", "{{.State.ExitCode}}"])).trim());
    },
    remove: () => capture("podman", ["rm", "--force", name]).then(() => undefined),
  };
}

/** Mounts the image's filesystem on the host (rootful podman) for `use`, then unmounts it. */
export async function withImageMounted<T>(image: string, use: (root: string) => T): Promise<T> {
  const root = (await capture("podman", ["image", "mount", image])).trim();
  try {
    return use(root);
  } finally {
    await capture("podman", ["image", "unmount", image]);
  }
}
