import { defineConfig } from "vitest/config";

// One run, seven projects: the service (against a real PostgreSQL), the generators (checked by
// promtool/amtool), the Pulumi program (mocks), delivery (the policy pack on the program's
// resources, the bootstrap program, the workflows, the README examples), the package as a consumer
// installs it, the end-to-end monitoring stack, and the service's image (built with buildah, run
// with podman). The image has its own project because tools/test.sh runs the service project a
// second time under the image's Node.js.
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
        // npm pack and install into a new program: minutes of npm on a busy machine.
        test: {
          name: "package",
          include: ["test/package/**/*.test.ts"],
          testTimeout: 300_000,
          hookTimeout: 600_000,
        },
      },
      {
        // A first build assembles the base image from scratch: minutes on a busy 2-core machine.
        test: {
          name: "image",
          include: ["test/image/**/*.test.ts"],
          testTimeout: 120_000,
          hookTimeout: 1_200_000,
        },
      },
      {
        test: { name: "e2e", include: ["test/e2e/**/*.test.ts"], testTimeout: 300_000, hookTimeout: 120_000 },
      },
    ],
  },
});
