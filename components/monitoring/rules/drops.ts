// Leaving our rules out: whole groups (by file), alerts (by name or tier) and recorded series (every
// rule writing one). Every name must be one of ours; a group left with no rule goes entirely.
import type { RuleDrops } from "../types";
import { invalid } from "../validate";
import { matchesKey, resolveAlertKey } from "./alert-keys";
import { fieldsOf, requireKnownKeys, requireList } from "./checks";
import { isAlert, recordsOf, type AlertRule, type Rule, type RuleFile } from "./model";

export interface Drop {
  /** The input field that asked for it, e.g. `drop.groups[0]`. */
  field: string;
  /** The name given there. */
  value: string;
  /** For messages: `group "http"`. */
  what: string;
  matches(file: RuleFile, rule: Rule): boolean;
}

const DROP_FIELDS = fieldsOf<RuleDrops>({ alerts: true, groups: true, records: true });

function groupDrops(ids: string[], ours: readonly RuleFile[]): Drop[] {
  const known = ours.map((file) => file.id);
  return ids.map((id, i) => {
    const field = `drop.groups[${i}]`;
    if (!known.includes(id)) invalid(field, id, `expected one of our groups: ${known.join(", ")}`);
    return { field, value: id, what: `group "${id}"`, matches: (file) => file.id === id };
  });
}

function alertDrops(keys: string[], ours: readonly AlertRule[]): Drop[] {
  return keys.map((text, i) => {
    const field = `drop.alerts[${i}]`;
    const key = resolveAlertKey(field, text, ours);
    return {
      field,
      value: text,
      what: `alert ${text}`,
      matches: (_, rule) => isAlert(rule) && matchesKey(key, rule),
    };
  });
}

function recordDrops(names: string[], ours: readonly Rule[]): Drop[] {
  const known = [...new Set(recordsOf(ours))];
  return names.map((name, i) => {
    const field = `drop.records[${i}]`;
    if (!known.includes(name))
      invalid(field, name, `expected one of our recorded series: ${known.join(", ")}`);
    return {
      field,
      value: name,
      what: `recorded series ${name}`,
      matches: (_, rule) => "record" in rule && rule.record === name,
    };
  });
}

/** The drops `drop` asks for, each checked against our rules. */
export function resolveDrops(drop: RuleDrops | undefined, ours: readonly RuleFile[]): Drop[] {
  if (drop === undefined) return [];
  requireKnownKeys("drop", drop, DROP_FIELDS);
  const rules = ours.flatMap((file) => file.group.rules);
  return [
    ...groupDrops(requireList("drop.groups", drop.groups), ours),
    ...alertDrops(requireList("drop.alerts", drop.alerts), rules.filter(isAlert)),
    ...recordDrops(requireList("drop.records", drop.records), rules),
  ];
}

export function droppedBy(drops: readonly Drop[], file: RuleFile, rule: Rule): Drop | undefined {
  return drops.find((drop) => drop.matches(file, rule));
}

/** `files` without the dropped rules, and without groups left empty. */
export function withoutDropped(files: readonly RuleFile[], drops: readonly Drop[]): RuleFile[] {
  return files.flatMap((file) => {
    const rules = file.group.rules.filter((rule) => droppedBy(drops, file, rule) === undefined);
    return rules.length === 0 ? [] : [{ id: file.id, group: { name: file.group.name, rules } }];
  });
}
