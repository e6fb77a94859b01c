// Builds the service's image from service/Dockerfile without Docker or a registry: buildah, the
// local stand-in for its base image, and npm offline from the cache the project's `npm ci` filled
// (npm inside the build cannot reach the registry through this machine's TLS-intercepting proxy).
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { capture, requireContainerTools, runShown, RUNTIME_FLAGS, ulimitFlags } from "./containers";
import { ensureNodeBaseImage } from "./node-base-image";

const REPO_ROOT = resolve(__dirname, "..");
const DOCKERFILE = "service/Dockerfile";

/** The name `npx tsx tools/image.ts` gives the image unless told otherwise. */
export const SERVICE_IMAGE = "localhost/showcase-api:local";

/** The Node.js version the image runs: the Dockerfile's `ARG NODE_VERSION=` line. */
export function imageNodeVersion(): string {
  const dockerfile = readFileSync(join(REPO_ROOT, DOCKERFILE), "utf8");
  const version = /^ARG NODE_VERSION=(\d+\.\d+\.\d+)$/m.exec(dockerfile)?.[1];
  if (!version) throw new Error(`${DOCKERFILE}: no ARG NODE_VERSION=X.Y.Z line`);
  return version;
}

async function npmConfig(key: string): Promise<string> {
  return (await capture("npm", ["config", "get", key, "--prefix", REPO_ROOT])).trim();
}

export interface BuildOptions {
  tag?: string;
  log?: (line: string) => void;
}

/** Builds service/Dockerfile into `tag` (podman's storage); resolves with the tag. */
export async function buildServiceImage(options: BuildOptions = {}): Promise<string> {
  const tag = options.tag ?? SERVICE_IMAGE;
  const log = options.log ?? ((line: string) => console.log(line));
  requireContainerTools();
  await ensureNodeBaseImage(imageNodeVersion(), log);

  const cache = await npmConfig("cache");
  if (!existsSync(join(cache, "_cacache")))
    throw new Error(
      `the npm cache ${cache} is empty: run \`npm ci\` first (the image installs offline from it)`,
    );
  const work = mkdtempSync(join(tmpdir(), "service-image-"));
  try {
    const npmrc = join(work, "npmrc");
    // The registry as configured here, since the cache is keyed by its URLs.
    writeFileSync(npmrc, `offline=true\nregistry=${await npmConfig("registry")}\n`);
    const args = [
      "bud",
      "--pull=never",
      // The docker format keeps what OCI's drops (SHELL, HEALTHCHECK), as `docker build` would.
      "--format",
      "docker",
      "--layers",
      "--network",
      "none",
      ...RUNTIME_FLAGS,
      ...ulimitFlags(),
      "--ignorefile",
      "service/Dockerfile.dockerignore",
      // An overlay over the cache: npm may write to it, nothing reaches the host's cache.
      "--volume",
      `${cache}:/root/.npm:O`,
      "--volume",
      `${npmrc}:/root/.npmrc:ro`,
      "--file",
      DOCKERFILE,
      "--tag",
      tag,
      ".",
    ];
    log(`$ buildah ${args.join(" ")}`);
    const started = Date.now();
    await runShown("buildah", args, { cwd: REPO_ROOT });
    log(`buildah: ${tag} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return tag;
}
