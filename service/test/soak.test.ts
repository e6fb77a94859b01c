// The README's `npm run soak`, run as written (shortened with SOAK_SECONDS): it completes and
// prints every figure. The soak asserts nothing about the figures; neither does this test.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

it("npm run soak prints every figure", { timeout: 240_000 }, async () => {
  const output = await new Promise<string>((resolve, reject) =>
    execFile(
      "npm",
      ["run", "--silent", "soak"],
      { cwd: ROOT, env: { ...process.env, SOAK_SECONDS: "10" }, maxBuffer: 16 << 20 },
      (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)),
    ),
  );
  for (const line of [
    /^soak: 10 s, /m,
    /^5xx {16}[\d,]+ \(.*\), [\d,]+ of them outside/m,
    /^writes {13}[\d,]+ acknowledged on [\d,]+ projects: lost \d+, altered \d+;/m,
    /^latency {12}p50 [\d.,]+ ms, p99 [\d.,]+ ms outside the faults, [\d.,]+ ms overall$/m,
    /^memory after GC {4}heap [\d.,]+ -> [\d.,]+ MiB/m,
    /^event-loop lag {5}highest p99 [\d.,]+ ms outside the faults, [\d.,]+ ms overall; highest max/m,
    /^pool exhaustion {4}\/ready 200 in \d+ of \d+ probes;.* again [\d,]+ ms after/m,
    /^database restart {3}down [\d.]+ s; API answers 200 [\d,]+ ms and \/ready [\d,]+ ms after/m,
    /^slow and idle {6}10 slow bodies: .*; 10 slow headers closed: .*; 50 idle connections closed: .*ms of SIGTERM$/m,
    /^stop {15}SIGTERM under load: exit \d+ after [\d,]+ ms;/m,
  ])
    expect(output).toMatch(line);
});
