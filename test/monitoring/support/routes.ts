// Where alertmanager.yml sends an alert, asked of the real amtool (`config routes test`).
import { expect } from "vitest";
import { renderAlertmanagerConfig, type AlertmanagerInput } from "showcase-monitoring/monitoring";
import { run, writeTree } from "./commands";

/** Writes the config, runs amtool check-config, and returns a route tester. */
export function checked(input: AlertmanagerInput) {
  const dir = writeTree({ "alertmanager.yml": renderAlertmanagerConfig(input) });
  const check = run("amtool", ["check-config", "alertmanager.yml"], dir);
  expect(check.status, check.output).toBe(0);
  expect(check.output).toContain("SUCCESS");
  return (labels: Record<string, string>, receivers: string[]) => {
    const args = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
    const result = run(
      "amtool",
      [
        "config",
        "routes",
        "test",
        "--config.file=alertmanager.yml",
        `--verify.receivers=${receivers.join(",")}`,
        ...args,
      ],
      dir,
    );
    expect(result.status, result.output).toBe(0);
  };
}
