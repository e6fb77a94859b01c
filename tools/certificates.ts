// Certificates for tests and the local stack, made with openssl (node:crypto cannot sign one): a CA of the test's own
// and server certificates it issues, as PEM files in a folder of the caller's.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

async function openssl(args: string[]): Promise<string> {
  try {
    return (await run("openssl", args)).stdout;
  } catch (error) {
    const { stderr, message } = error as { stderr?: string; message: string };
    throw new Error(
      `openssl ${args[0]} failed (install it with \`apt-get install -y openssl\`): ${stderr ?? message}`,
    );
  }
}

const EC_KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];

export interface IssuedCertificate {
  certFile: string;
  keyFile: string;
  /** The leaf followed by its CA's certificate, as a server may send its chain. */
  chainFile: string;
  serialNumber: string;
  /** As openssl reads it. */
  notAfter: Date;
}

export interface TestCa {
  /** The CA's certificate: what a client trusts. */
  certFile: string;
  notAfter: Date;
  /** A server certificate for `altNames` (e.g. `DNS:localhost`, `IP:127.0.0.1`). */
  issue(altNames: string[], days?: number): Promise<IssuedCertificate>;
}

async function notAfter(certFile: string): Promise<Date> {
  const line = await openssl(["x509", "-in", certFile, "-noout", "-enddate"]);
  return new Date(line.trim().replace(/^notAfter=/, ""));
}

export async function createCa(dir: string, name: string, days = 2): Promise<TestCa> {
  const certFile = join(dir, `${name}-ca.crt`);
  const keyFile = join(dir, `${name}-ca.key`);
  await openssl([
    "req",
    "-x509",
    ...EC_KEY,
    "-keyout",
    keyFile,
    "-out",
    certFile,
    "-days",
    String(days),
    "-subj",
    `/CN=${name} test CA`,
  ]);
  let issued = 0;
  return {
    certFile,
    notAfter: await notAfter(certFile),
    async issue(altNames, leafDays = 1) {
      const base = join(dir, `${name}-server-${++issued}`);
      const extensions = `${base}.ext`;
      writeFileSync(
        extensions,
        [
          `subjectAltName=${altNames.join(",")}`,
          "basicConstraints=critical,CA:FALSE",
          "keyUsage=critical,digitalSignature",
          "extendedKeyUsage=serverAuth",
        ].join("\n"),
      );
      const serial = randomBytes(8).toString("hex").toUpperCase().replace(/^0/, "1");
      await openssl([
        "req",
        "-new",
        ...EC_KEY,
        "-keyout",
        `${base}.key`,
        "-out",
        `${base}.csr`,
        "-subj",
        `/CN=${altNames[0]!.split(":")[1]!}`,
      ]);
      await openssl([
        "x509",
        "-req",
        "-in",
        `${base}.csr`,
        "-CA",
        certFile,
        "-CAkey",
        keyFile,
        "-set_serial",
        `0x${serial}`,
        "-days",
        String(leafDays),
        "-extfile",
        extensions,
        "-out",
        `${base}.crt`,
      ]);
      writeFileSync(
        `${base}.chain.crt`,
        readFileSync(`${base}.crt`, "utf8") + readFileSync(certFile, "utf8"),
      );
      return {
        certFile: `${base}.crt`,
        keyFile: `${base}.key`,
        chainFile: `${base}.chain.crt`,
        serialNumber: serial,
        notAfter: await notAfter(`${base}.crt`),
      };
    },
  };
}

/** The Cloud Map-style name the service's test certificates carry (besides localhost, 127.0.0.1). */
export const SERVICE_NAME = "app.showcase.internal";

export interface ServiceCredentials {
  ca: TestCa;
  certificate: IssuedCertificate;
  /** The bearer token /metrics accepts. */
  token: string;
  /** TLS_CERT_FILE, TLS_KEY_FILE and METRICS_BEARER_TOKEN_FILE: files of their own, to replace at will. */
  env: { TLS_CERT_FILE: string; TLS_KEY_FILE: string; METRICS_BEARER_TOKEN_FILE: string };
}

/** A CA, a certificate for the service, a token, and the service's variables naming them. */
export async function createServiceCredentials(dir: string): Promise<ServiceCredentials> {
  const ca = await createCa(dir, "service");
  const certificate = await ca.issue([`DNS:${SERVICE_NAME}`, "DNS:localhost", "IP:127.0.0.1"]);
  const token = randomBytes(32).toString("hex");
  const env = {
    TLS_CERT_FILE: join(dir, "tls.crt"),
    TLS_KEY_FILE: join(dir, "tls.key"),
    METRICS_BEARER_TOKEN_FILE: join(dir, "metrics-token"),
  };
  writeFileSync(env.TLS_CERT_FILE, readFileSync(certificate.certFile));
  writeFileSync(env.TLS_KEY_FILE, readFileSync(certificate.keyFile), { mode: 0o600 });
  writeFileSync(env.METRICS_BEARER_TOKEN_FILE, `${token}\n`, { mode: 0o600 });
  return { ca, certificate, token, env };
}
