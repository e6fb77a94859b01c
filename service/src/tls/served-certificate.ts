// The certificate both listeners serve (TLS_CERT_FILE: the chain, leaf first) with its private key
// (TLS_KEY_FILE), checked before anything listens: the key must match the leaf.
import type { TlsFiles } from "../config";
import { notAfter, readCertificates, readPrivateKey } from "./pem";

export interface ServedCertificate {
  /** PEM of the chain and of the key, as tls.createSecureContext takes them. */
  cert: string;
  key: string;
  /** The earliest notAfter in the chain: the chain stops verifying then. */
  notAfter: Date;
  /** Of the leaf: tells one certificate from the next in logs. */
  serialNumber: string;
}

export function readServedCertificate(files: TlsFiles, problems: string[]): ServedCertificate | undefined {
  const chain = readCertificates("TLS_CERT_FILE", files.certFile, problems);
  const key = readPrivateKey("TLS_KEY_FILE", files.keyFile, problems);
  if (chain === undefined || key === undefined) return undefined;
  const leaf = chain.certificates[0]!;
  if (!leaf.checkPrivateKey(key.key)) {
    problems.push(
      `TLS_KEY_FILE (${files.keyFile}) is not the private key of the first certificate in TLS_CERT_FILE (${files.certFile})`,
    );
    return undefined;
  }
  const earliest = Math.min(...chain.certificates.map((c) => notAfter(c).getTime()));
  return { cert: chain.pem, key: key.pem, notAfter: new Date(earliest), serialNumber: leaf.serialNumber };
}
