// Reading the PEM files the configuration names. Every problem names the variable and the path,
// never a file's contents: a private key must not reach a log or an error message.
import { createPrivateKey, X509Certificate, type KeyObject } from "node:crypto";
import { readTextFile } from "../named-file";

const CERTIFICATE_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

export interface Certificates {
  pem: string;
  /** In file order: for a served chain, the leaf first. */
  certificates: X509Certificate[];
}

export interface PrivateKey {
  pem: string;
  key: KeyObject;
}

export function readCertificates(
  variable: string,
  path: string,
  problems: string[],
): Certificates | undefined {
  const pem = readTextFile(variable, path, problems);
  if (pem === undefined) return undefined;
  const blocks = pem.match(CERTIFICATE_BLOCK) ?? [];
  if (blocks.length === 0) {
    problems.push(`${variable} (${path}) holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
    return undefined;
  }
  const certificates: X509Certificate[] = [];
  for (const [index, block] of blocks.entries()) {
    try {
      certificates.push(new X509Certificate(block));
    } catch {
      problems.push(`${variable} (${path}): certificate ${index + 1} of ${blocks.length} is not valid X.509`);
      return undefined;
    }
  }
  return { pem, certificates };
}

export function readPrivateKey(variable: string, path: string, problems: string[]): PrivateKey | undefined {
  const pem = readTextFile(variable, path, problems);
  if (pem === undefined) return undefined;
  try {
    return { pem, key: createPrivateKey(pem) };
  } catch {
    // Node's message may quote the input: not repeated.
    problems.push(`${variable} (${path}) holds no unencrypted PEM private key`);
    return undefined;
  }
}

/** X509Certificate.validTo is text on Node 20 ("Dec  3 06:21:05 2026 GMT"); validToDate is newer. */
export function notAfter(certificate: X509Certificate): Date {
  return new Date(certificate.validTo);
}
