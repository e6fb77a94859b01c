import { defineConfig } from "vitest/config";

// One run, four projects: the service (against a real PostgreSQL), the generators (checked by
// promtool/amtool), the Pulumi program (mocks), and the end-to-end monitoring stack.
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
        test: { name: "e2e", include: ["test/e2e/**/*.test.ts"], testTimeout: 300_000, hookTimeout: 120_000 },
      },
    ],
  },
});
