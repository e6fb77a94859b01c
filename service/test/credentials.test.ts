// The files the configuration names, read before anything listens: every problem names the
// variable and the path and shows nothing of a file's contents; and the bearer check on /metrics.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../src/config";
import { readCredentials } from "../src/credentials";
import { createBearerCheck } from "../src/metrics/bearer-token";
import { createCa, type IssuedCertificate, type TestCa } from "../../tools/certificates";

let dir: string;
let ca: TestCa;
let certificate: IssuedCertificate;
let other: IssuedCertificate;
const TOKEN = "a".repeat(20) + "B-._~+/0123456789==";

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "service-credentials-"));
  ca = await createCa(dir, "credentials");
  // For 30 days, from a CA for 2: a chain of the two expires with the CA.
  certificate = await ca.issue(["DNS:localhost"], 30);
  other = await ca.issue(["DNS:other"]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const env = (vars: Record<string, string>) =>
  parseConfig({ DATABASE_URL: "postgres://app@db/app", DATABASE_SSL: "verify-full", ...vars });

function problems(vars: Record<string, string>): string[] {
  try {
    readCredentials(env(vars));
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error("expected a ConfigError");
}

describe("readCredentials", () => {
  it("reads the certificate, the tokens and the database's CAs", () => {
    const credentials = readCredentials(
      env({
        TLS_CERT_FILE: certificate.chainFile,
        TLS_KEY_FILE: certificate.keyFile,
        METRICS_BEARER_TOKEN_FILE: file("tokens", `  ${TOKEN}  \n\n${"z".repeat(32)}\r\n`),
        DATABASE_CA_CERT_FILE: ca.certFile,
      }),
    );
    expect(credentials.certificate).toEqual({
      cert: readFileSync(certificate.chainFile, "utf8"),
      key: readFileSync(certificate.keyFile, "utf8"),
      notAfter: ca.notAfter,
      serialNumber: certificate.serialNumber,
    });
    expect(credentials.metricsTokens).toEqual([TOKEN, "z".repeat(32)]);
    expect(credentials.databaseCa).toBe(readFileSync(ca.certFile, "utf8"));
  });

  it("reads nothing when no file is named", () => {
    expect(readCredentials(env({}))).toEqual({
      certificate: undefined,
      metricsTokens: undefined,
      databaseCa: undefined,
    });
  });

  it("names the variable and the path of every unreadable or wrong file, all at once", () => {
    const missing = join(dir, "missing.pem");
    const notPem = file("not.pem", "hello");
    const broken = file("broken.pem", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
    expect(
      problems({
        TLS_CERT_FILE: missing,
        TLS_KEY_FILE: notPem,
        METRICS_BEARER_TOKEN_FILE: file("empty", " \n\n"),
        DATABASE_CA_CERT_FILE: broken,
      }),
    ).toEqual([
      `TLS_CERT_FILE cannot be read (${missing}): ENOENT`,
      `TLS_KEY_FILE (${notPem}) holds no unencrypted PEM private key`,
      `METRICS_BEARER_TOKEN_FILE (${dir}/empty) is empty: it must hold a token`,
      `DATABASE_CA_CERT_FILE (${broken}): certificate 1 of 1 is not valid X.509`,
    ]);
    expect(problems({ DATABASE_CA_CERT_FILE: notPem })).toEqual([
      `DATABASE_CA_CERT_FILE (${notPem}) holds no PEM certificate (-----BEGIN CERTIFICATE-----)`,
    ]);
    expect(problems({ DATABASE_CA_CERT_FILE: dir })).toEqual([
      `DATABASE_CA_CERT_FILE cannot be read (${dir}): EISDIR`,
    ]);
  });

  it("refuses a key that is not the certificate's, or encrypted, without showing it", () => {
    const mismatch = problems({ TLS_CERT_FILE: certificate.certFile, TLS_KEY_FILE: other.keyFile });
    expect(mismatch).toEqual([
      `TLS_KEY_FILE (${other.keyFile}) is not the private key of the first certificate in TLS_CERT_FILE (${certificate.certFile})`,
    ]);
    const encrypted = join(dir, "encrypted.key");
    execFileSync("openssl", [
      "pkey",
      "-in",
      certificate.keyFile,
      "-aes256",
      "-passout",
      "pass:x",
      "-out",
      encrypted,
    ]);
    expect(readFileSync(encrypted, "utf8")).toContain("ENCRYPTED PRIVATE KEY");
    expect(problems({ TLS_CERT_FILE: certificate.certFile, TLS_KEY_FILE: encrypted })).toEqual([
      `TLS_KEY_FILE (${encrypted}) holds no unencrypted PEM private key`,
    ]);
  });

  it.each([
    ["too short", "s3cret-but-short"],
    ["with a space", `${"a".repeat(32)} b`],
    ["with a quote", `${"a".repeat(32)}"`],
  ])("refuses a token %s, naming its line and not showing it", (_what, token) => {
    // Line 3 of the file: blank lines count.
    const path = file("bad-token", `${TOKEN}\n\n${token}\n`);
    const [problem, ...rest] = problems({
      TLS_CERT_FILE: certificate.certFile,
      TLS_KEY_FILE: certificate.keyFile,
      METRICS_BEARER_TOKEN_FILE: path,
    });
    expect(rest).toEqual([]);
    expect(problem).toBe(
      `METRICS_BEARER_TOKEN_FILE (${path}): the token on line 3 must be at least 32 characters of ` +
        "A-Z a-z 0-9 - . _ ~ + / (e.g. `openssl rand -hex 32`); not shown",
    );
    expect(problem).not.toContain(token);
  });
});

describe("the token command the README and the error message give", () => {
  it("`openssl rand -hex 32` makes a token the service accepts", () => {
    const token = execFileSync("openssl", ["rand", "-hex", "32"], { encoding: "utf8" });
    const credentials = readCredentials(
      env({
        TLS_CERT_FILE: certificate.certFile,
        TLS_KEY_FILE: certificate.keyFile,
        METRICS_BEARER_TOKEN_FILE: file("openssl-token", token),
      }),
    );
    expect(credentials.metricsTokens).toEqual([token.trim()]);
    expect(createBearerCheck(credentials.metricsTokens!)(`Bearer ${token.trim()}`)).toBe("ok");
  });
});

describe("createBearerCheck", () => {
  const check = createBearerCheck([TOKEN, "z".repeat(32)]);

  it.each([
    [undefined, "missing"],
    ["", "invalid"],
    ["Bearer", "invalid"],
    [`Basic ${TOKEN}`, "invalid"],
    [`Bearer ${TOKEN.slice(0, -1)}`, "invalid"],
    [`Bearer ${TOKEN}a`, "invalid"],
    [`Bearer ${TOKEN} extra`, "invalid"],
    [`Bearer ${TOKEN}`, "ok"],
    [`bearer  ${TOKEN}`, "ok"],
    [`BEARER ${"z".repeat(32)}`, "ok"],
  ])("%j is %s", (authorization, verdict) => {
    expect(check(authorization)).toBe(verdict);
  });
});
