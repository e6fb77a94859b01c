// The service as a real child process (`node --import tsx src/main.ts`, or another command that
// starts it, such as the README's), for signals and exit codes.
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";

const SERVICE_DIR = fileURLToPath(new URL("../..", import.meta.url));

export interface ServiceProcess {
  child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Resolves with the exit code (null when killed by a signal) and the signal. */
  exit(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Polls `url` until it answers 200 or the process exits. */
  waitFor(url: string, timeoutMs?: number): Promise<void>;
  kill(): void;
}

export interface ServiceCommand {
  file: string;
  args: string[];
  cwd: string;
}

const FROM_SOURCES: ServiceCommand = {
  file: process.execPath,
  args: ["--import", "tsx", "src/main.ts"],
  cwd: SERVICE_DIR,
};

export function startServiceProcess(
  env: Record<string, string>,
  command: ServiceCommand = FROM_SOURCES,
): ServiceProcess {
  const child = spawn(command.file, command.args, {
    cwd: command.cwd,
    // A clean environment: only PATH and HOME from ours, so stray variables cannot leak in.
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/root", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, "exit").then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
  }));
  return {
    child,
    output: () => output,
    exit: () => exited,
    async waitFor(url, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      let gone = false;
      void exited.then(() => (gone = true));
      while (Date.now() < deadline && !gone) {
        const ok = await fetch(url).then(
          (r) => r.status === 200,
          () => false,
        );
        if (ok) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`${url} did not answer 200 (process ${gone ? "exited" : "running"}):\n${output}`);
    },
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
  };
}
