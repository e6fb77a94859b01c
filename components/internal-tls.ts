// TLS inside the VPC: an internal certificate authority (@pulumi/tls, kept in the Pulumi state as a
// secret) and the server certificates it signs for each component's Cloud Map name. Certificates
// are renewed by `pulumi up` once inside their renewal window (docs/decisions/0015), and every
// renewal rolls the tasks that serve them.
import { createHash } from "node:crypto";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import * as tls from "@pulumi/tls";
import { componentOptions, typeToken } from "./component";
import type { SecretFile } from "./config-files";
import type { Tags } from "./tags";

/** The CA that signs the stack's server certificates (e.g. an InternalCertificateAuthority's). */
export interface InternalTlsArgs {
  /** The CA certificate, PEM. */
  caCertPem: pulumi.Input<string>;
  /** The CA's private key, PEM, a Pulumi secret. */
  caPrivateKeyPem: pulumi.Input<string>;
}

/** The defaults of the internal certificates. */
export const INTERNAL_TLS_DEFAULTS = {
  /** The CA: ten years; replacing it re-issues every certificate. */
  caValidityDays: 3650,
  /** Server certificates: 90 days, renewed by the first `pulumi up` in their last 30. */
  certificateValidityDays: 90,
  renewalDays: 30,
} as const;

export interface InternalCertificateAuthorityArgs {
  /** Subject common name of the CA. Default "<project> <stack> internal CA". */
  commonName?: string;
  /** Validity in days. Default 3650. */
  validityDays?: number;
}

/** A self-signed CA (ECDSA P-256) for the stack's internal TLS; its key never leaves the state. */
export class InternalCertificateAuthority extends pulumi.ComponentResource {
  /** The CA certificate, PEM: what every client verifies against. */
  readonly certPem: pulumi.Output<string>;
  /** The CA's private key, PEM (secret). */
  readonly privateKeyPem: pulumi.Output<string>;

  constructor(
    name: string,
    args: InternalCertificateAuthorityArgs = {},
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super(
      typeToken("InternalCertificateAuthority"),
      name,
      {},
      componentOptions("InternalCertificateAuthority", opts),
    );
    const key = new tls.PrivateKey(
      `${name}-key`,
      { algorithm: "ECDSA", ecdsaCurve: "P256" },
      { parent: this },
    );
    const cert = new tls.SelfSignedCert(
      `${name}-cert`,
      {
        privateKeyPem: key.privateKeyPem,
        isCaCertificate: true,
        validityPeriodHours: 24 * (args.validityDays ?? INTERNAL_TLS_DEFAULTS.caValidityDays),
        allowedUses: ["cert_signing", "crl_signing", "digital_signature"],
        subject: {
          commonName: args.commonName ?? `${pulumi.getProject()} ${pulumi.getStack()} internal CA`,
          organization: pulumi.getProject(),
        },
      },
      { parent: this },
    );
    this.certPem = cert.certPem;
    this.privateKeyPem = pulumi.secret(key.privateKeyPem);
    this.registerOutputs({ certPem: this.certPem, privateKeyPem: this.privateKeyPem });
  }
}

/** Where a container finds its TLS files. */
export interface TlsFiles {
  cert: string;
  key: string;
  ca: string;
}

export interface ServerCertificate {
  /** The secret files the config init container writes (certificate, key, CA). */
  secretFiles: SecretFile[];
  /** Their paths inside the main container. */
  files: TlsFiles;
  /** SHA-256 of the certificate: put in the task definition, a renewal rolls the tasks. */
  fingerprint: pulumi.Output<string>;
  /** The Secrets Manager secret holding them, JSON keys `cert`, `key`, `ca` (the execution role reads it). */
  secret: aws.secretsmanager.Secret;
}

/**
 * A server certificate for `dnsNames`, signed by the CA, kept in Secrets Manager and delivered as
 * files `tls/tls.crt`, `tls/tls.key`, `tls/ca.crt` below the main container's config directory.
 */
export function serverCertificate(
  name: string,
  args: { tls: InternalTlsArgs; dnsNames: pulumi.Input<string>[]; configDir: string; tags: Tags },
  opts: pulumi.CustomResourceOptions,
): ServerCertificate {
  const d = INTERNAL_TLS_DEFAULTS;
  const key = new tls.PrivateKey(`${name}-tls-key`, { algorithm: "ECDSA", ecdsaCurve: "P256" }, opts);
  const request = new tls.CertRequest(
    `${name}-tls-request`,
    {
      privateKeyPem: key.privateKeyPem,
      dnsNames: args.dnsNames,
      subject: { commonName: pulumi.output(args.dnsNames[0]) },
    },
    opts,
  );
  const cert = new tls.LocallySignedCert(
    `${name}-tls-cert`,
    {
      certRequestPem: request.certRequestPem,
      caCertPem: args.tls.caCertPem,
      caPrivateKeyPem: args.tls.caPrivateKeyPem,
      validityPeriodHours: 24 * d.certificateValidityDays,
      earlyRenewalHours: 24 * d.renewalDays,
      allowedUses: ["digital_signature", "key_encipherment", "server_auth"],
    },
    opts,
  );
  // One secret per server (JSON), each file a key of it: a third of the secrets to pay for.
  const secret = new aws.secretsmanager.Secret(
    `${name}-tls`,
    { description: `${name}: TLS certificate, private key and internal CA`, tags: args.tags },
    opts,
  );
  new aws.secretsmanager.SecretVersion(
    `${name}-tls`,
    {
      secretId: secret.id,
      secretString: pulumi.secret(
        pulumi.jsonStringify({ cert: cert.certPem, key: key.privateKeyPem, ca: args.tls.caCertPem }),
      ),
    },
    opts,
  );
  const part = (key: "cert" | "key" | "ca") => pulumi.interpolate`${secret.arn}:${key}::`;
  return {
    secretFiles: [
      { path: "tls/tls.crt", valueFrom: part("cert") },
      { path: "tls/tls.key", valueFrom: part("key") },
      { path: "tls/ca.crt", valueFrom: part("ca") },
    ],
    files: {
      cert: `${args.configDir}/tls/tls.crt`,
      key: `${args.configDir}/tls/tls.key`,
      ca: `${args.configDir}/tls/ca.crt`,
    },
    fingerprint: cert.certPem.apply((pem) => createHash("sha256").update(pem).digest("hex")),
    secret,
  };
}

/** A generated credential kept in Secrets Manager: its value (secret), bcrypt hash and ARN. */
export interface Credential {
  value: pulumi.Output<string>;
  bcryptHash: pulumi.Output<string>;
  secretArn: pulumi.Output<string>;
}

/** A random credential (48 characters, letters and digits) in Secrets Manager. */
export function credential(
  name: string,
  description: string,
  tags: Tags,
  opts: pulumi.CustomResourceOptions,
): Credential {
  // RandomPassword keeps its bcrypt hash stable across runs (a fresh salt each run would diff).
  const password = new random.RandomPassword(name, { length: 48, special: false }, opts);
  const secret = new aws.secretsmanager.Secret(name, { description, tags }, opts);
  new aws.secretsmanager.SecretVersion(name, { secretId: secret.id, secretString: password.result }, opts);
  return { value: password.result, bcryptHash: password.bcryptHash, secretArn: secret.arn };
}
