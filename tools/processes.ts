// Child processes of the local stack: started with their output in a log file, awaited until they
// answer over HTTP, stopped with SIGTERM (SIGKILL after a bound).
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { httpsRequest, type HttpsOptions } from "./https";

export interface ManagedProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly logFile: string;
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  readonly exited: Promise<number | string>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
  stop(graceMs?: number): Promise<number | string>;
}

export interface StartOptions {
  name: string;
  command: string;
  args: string[];
  logFile: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

export function startProcess(options: StartOptions): ManagedProcess {
  mkdirSync(dirname(options.logFile), { recursive: true });
  const log = createWriteStream(options.logFile, { flags: "a" });
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  const exited = new Promise<number | string>((resolveExit, reject) => {
    child.once("error", (error) =>
      reject(new Error(`${options.name}: could not start ${options.command}: ${error.message}`)),
    );
    child.once("exit", (code, signal) => {
      log.end();
      resolveExit(code ?? signal ?? "unknown");
    });
  });
  // A failed start is reported by whoever awaits readiness; keep Node from flagging it meanwhile.
  exited.catch(() => undefined);

  return {
    name: options.name,
    child,
    logFile: options.logFile,
    exited,
    async stop(graceMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

export interface WaitForHttpOptions {
  /** Default 60 s. */
  timeoutMs?: number;
  /** Which statuses mean ready. Default 2xx. */
  ok?: (status: number) => boolean;
  /** The CA and credential of an HTTPS server. Default none (plain HTTP). */
  client?: Pick<HttpsOptions, "caFile" | "credential">;
}

/**
 * Polls `url` until it answers with a status `ok` accepts, the process exits, or `timeoutMs`
 * passes; the error names the process and its log file.
 */
export async function waitForHttp(
  proc: ManagedProcess,
  url: string,
  {
    timeoutMs = 60_000,
    ok = (status) => status >= 200 && status < 300,
    client = {},
  }: WaitForHttpOptions = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let ended: number | string | undefined;
  void proc.exited.then(
    (code) => (ended = code),
    () => (ended = "failed to start"),
  );
  let last = "no answer";
  while (Date.now() < deadline) {
    if (ended !== undefined) {
      throw new Error(`${proc.name} exited (${ended}) before ${url} answered; see ${proc.logFile}`);
    }
    try {
      const { status } = await httpsRequest(url, { ...client, timeoutMs: 2_000 });
      if (ok(status)) return;
      last = `HTTP ${status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await sleep(200);
  }
  throw new Error(`${proc.name}: ${url} not ready after ${timeoutMs} ms (${last}); see ${proc.logFile}`);
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs: number,
  intervalMs = 500,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await sleep(intervalMs);
  }
  const detail = lastError instanceof Error ? `: ${lastError.message}` : "";
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail}`);
}
