// A local stand-in for Docker Hub's `node:<version>-bookworm-slim`, which cannot be pulled here:
// a Debian 12 minbase root filesystem (debootstrap, from the machine's Debian mirror) with the
// Node.js binary of that version (npm package node-linux-<arch>), the npm that release bundles, a
// `node` user uid/gid 1000 and an entrypoint that execs its command, as the official image has.
// Kept in podman's storage under the official name; rebuilt only when missing or made by an older
// recipe. An image of that name that is not ours (pulled from Docker Hub) is used as it is.
import { spawn } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { capture } from "./containers";

/** Bump when the recipe below changes, so that stand-ins made by the old one are rebuilt. */
const RECIPE = "1";
const RECIPE_LABEL = "org.showcase-monitoring.node-stand-in";
const DEBIAN_SUITE = "bookworm";
const PATH_ENV = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

// Like the official image's docker-entrypoint.sh: options or a non-command go to node; exec keeps
// the command as PID 1, so it receives SIGTERM itself.
const ENTRYPOINT = `#!/bin/sh
set -e
if [ "\${1#-}" != "$1" ] || ! command -v "$1" >/dev/null 2>&1; then
  set -- node "$@"
fi
exec "$@"
`;

export function nodeBaseImageName(nodeVersion: string): string {
  return `docker.io/library/node:${nodeVersion}-${DEBIAN_SUITE}-slim`;
}

/** The Debian mirror apt uses on this machine (debootstrap fetches the root filesystem from it). */
export function debianMirror(): string {
  const sources = ["/etc/apt/sources.list.d/debian.sources", "/etc/apt/sources.list"]
    .filter((file) => existsSync(file))
    .map((file) => readFileSync(file, "utf8"))
    .join("\n");
  const deb822 = /^URIs:\s*(\S+)/m.exec(sources)?.[1];
  const oneLine = /^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+\S+/m.exec(sources)?.[1];
  return deb822 ?? oneLine ?? "http://deb.debian.org/debian";
}

/**
 * The npm version a Node.js release bundles, read from the release's own CHANGELOG (newest release
 * first): the highest "upgrade npm to X" of the newest release that upgraded it.
 */
export function bundledNpmVersion(changelog: string): string {
  for (const release of changelog.split(/^<a id="\d+\.\d+\.\d+"><\/a>$/m).slice(1)) {
    const versions = [...release.matchAll(/\*\*deps\*\*: (?:upgrade|update) npm to (\d+)\.(\d+)\.(\d+)/g)];
    if (versions.length === 0) continue;
    const [newest] = versions
      .map((m) => [Number(m[1]), Number(m[2]), Number(m[3])])
      .sort((a, b) => b[0]! - a[0]! || b[1]! - a[1]! || b[2]! - a[2]!);
    return newest!.join(".");
  }
  throw new Error("the Node.js CHANGELOG names no npm upgrade: cannot tell which npm the release bundles");
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

async function ourRecipe(image: string): Promise<string | undefined> {
  const exists = await capture("podman", ["image", "exists", image]).then(
    () => true,
    () => false,
  );
  if (!exists) return undefined;
  const label = await capture("podman", [
    "image",
    "inspect",
    image,
    "--format",
    `{{index .Labels "${RECIPE_LABEL}"}}`,
  ]);
  const value = label.trim();
  // No such label: an image of that name that we did not make.
  return value === "<no value>" ? "" : value;
}

function run(command: string, args: string[], log: (line: string) => void): Promise<string> {
  log(`$ ${command} ${args.join(" ")}`);
  return capture(command, args);
}

/** `tar -c rootfs | podman import - image`, failing when either side fails. */
function importRootfs(rootfs: string, image: string, changes: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const tar = spawn("tar", ["--numeric-owner", "-C", rootfs, "-c", "."], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const args = ["import", "--quiet", ...changes.flatMap((c) => ["--change", c]), "-", image];
    const podman = spawn("podman", args, { stdio: ["pipe", "ignore", "inherit"] });
    tar.stdout.pipe(podman.stdin);
    let pending = 2;
    const done = (what: string) => (code: number | null) => {
      if (code !== 0) reject(new Error(`${what} failed (exit ${code}) importing ${rootfs} as ${image}`));
      else if (--pending === 0) resolve();
    };
    tar.once("exit", done("tar"));
    podman.once("exit", done("podman import"));
    tar.once("error", reject);
    podman.once("error", reject);
  });
}

/** Unpacks an npm package tarball (`package/...`) into `dir`, owned by us. */
function unpackPackage(tarball: string, dir: string): Promise<string> {
  return capture("tar", ["-xzf", tarball, "-C", dir, "--strip-components=1", "--no-same-owner"]);
}

/** Removes what the official slim images leave out: apt's lists and caches, docs, man pages, locales. */
function slim(rootfs: string): Promise<string> {
  return capture("sh", [
    "-c",
    `set -e; cd "$1"
     rm -rf var/lib/apt/lists/* var/cache/apt/*.bin var/cache/apt/archives/*.deb usr/share/man/* usr/share/info/*
     find usr/share/doc -mindepth 1 ! -type d ! -name copyright -delete
     find usr/share/doc -mindepth 1 -type d -empty -delete
     find usr/share/locale -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} +`,
    "slim",
    rootfs,
  ]);
}

async function assemble(nodeVersion: string, image: string, log: (line: string) => void): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), "node-stand-in-"));
  try {
    const rootfs = join(work, "rootfs");
    const nodePackage = `node-linux-${process.arch}@${nodeVersion}`;
    const mirror = debianMirror();
    log(`debootstrap ${DEBIAN_SUITE} (minbase) from ${mirror}, ${nodePackage} from npm`);
    const [, nodeTarball] = await Promise.all([
      run("debootstrap", ["--variant=minbase", DEBIAN_SUITE, rootfs, mirror], log),
      run("npm", ["pack", "--silent", "--pack-destination", work, nodePackage], log),
    ]);
    const node = join(work, "node");
    mkdirSync(node);
    await unpackPackage(join(work, nodeTarball.trim()), node);
    const npmVersion = bundledNpmVersion(readFileSync(join(node, "CHANGELOG.md"), "utf8"));

    const npmTarball = await run(
      "npm",
      ["pack", "--silent", "--pack-destination", work, `npm@${npmVersion}`],
      log,
    );
    const local = join(rootfs, "usr/local");
    copyFileSync(join(node, "bin/node"), join(local, "bin/node"));
    chmodSync(join(local, "bin/node"), 0o755);
    symlinkSync("node", join(local, "bin/nodejs"));
    const npmDir = join(local, "lib/node_modules/npm");
    mkdirSync(npmDir, { recursive: true });
    await unpackPackage(join(work, npmTarball.trim()), npmDir);
    symlinkSync("../lib/node_modules/npm/bin/npm-cli.js", join(local, "bin/npm"));
    symlinkSync("../lib/node_modules/npm/bin/npx-cli.js", join(local, "bin/npx"));
    writeFileSync(join(local, "bin/docker-entrypoint.sh"), ENTRYPOINT, { mode: 0o755 });

    await capture("chroot", [rootfs, "groupadd", "--gid", "1000", "node"]);
    await capture("chroot", [
      rootfs,
      "useradd",
      "--uid",
      "1000",
      "--gid",
      "node",
      "--shell",
      "/bin/bash",
      "--create-home",
      "node",
    ]);
    const versions = await capture("chroot", [rootfs, "sh", "-c", "node --version && npm --version"]);
    if (versions.split("\n").slice(0, 2).join(" ") !== `v${nodeVersion} ${npmVersion}`)
      throw new Error(
        `the stand-in runs ${versions.trim()}, expected node v${nodeVersion} and npm ${npmVersion}`,
      );
    await slim(rootfs);

    await importRootfs(rootfs, image, [
      `ENV PATH=${PATH_ENV}`,
      `ENV NODE_VERSION=${nodeVersion}`,
      'ENTRYPOINT ["docker-entrypoint.sh"]',
      'CMD ["node"]',
      `LABEL ${RECIPE_LABEL}=${RECIPE}`,
    ]);
    log(`${image}: Debian ${DEBIAN_SUITE} minbase, node v${nodeVersion}, npm ${npmVersion}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Makes sure podman's storage holds `node:<version>-bookworm-slim`; returns its name. */
export async function ensureNodeBaseImage(
  nodeVersion: string,
  log: (line: string) => void = () => undefined,
): Promise<string> {
  const image = nodeBaseImageName(nodeVersion);
  const recipe = await ourRecipe(image);
  if (recipe === RECIPE) {
    log(`${image}: the local stand-in, cached`);
  } else if (recipe === "") {
    log(`${image}: present and not a stand-in of ours, used as it is`);
  } else {
    log(`${image}: assembling the local stand-in${recipe === undefined ? "" : " (older recipe)"}`);
    const started = Date.now();
    await assemble(nodeVersion, image, log);
    log(`${image}: assembled in ${seconds(Date.now() - started)}`);
  }
  return image;
}
