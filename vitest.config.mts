import { defineConfig } from "vitest/config";

// One run, five projects: the service (against a real PostgreSQL), the generators (checked by
// promtool/amtool), the Pulumi program (mocks), the end-to-end monitoring stack, and delivery (the
// policy pack on the program's resources, the bootstrap program, the workflows, the README examples).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "service",
          root: "service",
          include: ["test/**/*.test.ts"],
          globalSetup: ["test/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: { name: "monitoring", include: ["test/monitoring/**/*.test.ts"], testTimeout: 60_000 },
      },
      {
        test: {
          name: "infra",
          include: ["test/infra/**/*.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: "delivery",
          include: ["test/policy/**/*.test.ts", "test/delivery/**/*.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: { name: "e2e", include: ["test/e2e/**/*.test.ts"], testTimeout: 300_000, hookTimeout: 120_000 },
      },
    ],
  },
});
