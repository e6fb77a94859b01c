import type { AlertCase } from "../support/rule-tests";
import { containerCases } from "./containers";
import { databaseCases } from "./database";
import { httpCases } from "./http";
import { metaCases } from "./meta";
import { runtimeCases } from "./runtime";
import { sloCases } from "./slo";

export const ALERT_CASES: AlertCase[] = [
  ...httpCases,
  ...runtimeCases,
  ...containerCases,
  ...databaseCases,
  ...metaCases,
  ...sloCases,
];

/** Alerts that cannot be silent by design. */
export const ALWAYS_FIRING = ["Watchdog"];
