// One internal CA per stack: it signs every component's server certificate, and every client
// (Prometheus, Grafana) verifies against its certificate. Its key lives in the state, as a secret.
import { InternalCertificateAuthority } from "showcase-monitoring";

export const ca = new InternalCertificateAuthority("internal", { validityDays: 3650 });

export const tls = { caCertPem: ca.certPem, caPrivateKeyPem: ca.privateKeyPem };
