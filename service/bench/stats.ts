// Small figures helpers shared by the benchmark's parts.
import { readFileSync } from "node:fs";
import { loadavg } from "node:os";

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export const fmt = (n: number, digits = 1): string => n.toFixed(digits);

/** The 1, 5 and 15 minute load averages: other work competes for the cores without showing as steal. */
export const loadAverage = (): string =>
  loadavg()
    .map((n) => fmt(n, 2))
    .join(", ");

export const verdict = (ok: boolean): string => (ok ? "met" : "MISSED");

/** Starts measuring the CPU time the hypervisor steals (/proc/stat); the result is a fraction. */
export function stealMeter(): () => number {
  const read = () => {
    const fields = readFileSync("/proc/stat", "utf8")
      .split("\n")[0]!
      .trim()
      .split(/\s+/)
      .slice(1)
      .map(Number);
    return { steal: fields[7] ?? 0, total: fields.reduce((a, b) => a + b, 0) };
  };
  const start = read();
  return () => {
    const end = read();
    return (end.steal - start.steal) / Math.max(1, end.total - start.total);
  };
}

/** Prints rows as columns: the first left-aligned, the others right-aligned. */
export function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}
