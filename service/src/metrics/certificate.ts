// When the served certificate stops being valid, for alerting ahead of it. One series per
// listener (both serve the same certificate today): an alert need not know that they share it.
import { Gauge, type Registry } from "prom-client";
import { METRICS } from "showcase-monitoring-conventions";
import type { ServedCertificate } from "../tls/served-certificate";

export function registerCertificateMetrics(registry: Registry, current: () => ServedCertificate): void {
  new Gauge<"listener">({
    name: METRICS.tlsCertificateNotAfter,
    help: "When the certificate the listener serves expires (the earliest notAfter of its chain), as a Unix time.",
    labelNames: ["listener"],
    registers: [registry],
    collect() {
      const seconds = current().notAfter.getTime() / 1000;
      this.set({ listener: "api" }, seconds);
      this.set({ listener: "metrics" }, seconds);
    },
  });
}
