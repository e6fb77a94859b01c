// What a benchmark started (processes, folders), undone in reverse order when it ends, fails or
// is stopped with Ctrl-C/SIGTERM: PostgreSQL leaves our process group, so a signal reaching the
// group alone would leave it running, and temp folders would stay.
export class Cleanup {
  private readonly steps: { what: string; undo: () => unknown }[] = [];
  private running: Promise<void> | undefined;

  add(what: string, undo: () => unknown): void {
    this.steps.push({ what, undo });
  }

  /** Runs every step once, last added first; a failing step is reported and the rest still run. */
  run(): Promise<void> {
    this.running ??= (async () => {
      for (const step of this.steps.reverse()) {
        try {
          await step.undo();
        } catch (error) {
          console.error(`cleanup: ${step.what}: ${(error as Error).message}`);
        }
      }
    })();
    return this.running;
  }
}

/** Runs `main`, then its cleanup; on SIGINT/SIGTERM the cleanup runs at once and the process exits 130. */
export async function withCleanup(main: (cleanup: Cleanup) => Promise<void>): Promise<void> {
  const cleanup = new Cleanup();
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) return;
    signalled = true;
    console.error(`\n${signal}: stopping everything the benchmark started`);
    void cleanup.run().finally(() => process.exit(130));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    await main(cleanup);
  } catch (error) {
    // After a signal, `main` fails because its processes went away: not worth reporting.
    if (!signalled) throw error;
  } finally {
    await cleanup.run();
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
