// Thresholds written for people (alert descriptions, panel titles).
import { num } from "./promql";

/** 0.995 → "99.5%" */
export function percent(ratio: number): string {
  return `${num(ratio * 100)}%`;
}

const BYTE_UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

/** 10737418240 → "10GiB" (1024-based, as humanize1024 prints values). */
export function bytes(value: number): string {
  let unit = 0;
  while (unit < BYTE_UNITS.length - 1 && value >= 1024 ** (unit + 1)) unit += 1;
  return `${num(value / 1024 ** unit)}${BYTE_UNITS[unit]}`;
}
