// Overrides of our alerts, keyed `Name` or `Name/severity` (the tier as we define it). A rule gets
// its name's override first, then its tier's, so the more specific wins.
import type { AlertOverride } from "../types";
import { invalid } from "../validate";
import { matchesKey, resolveAlertKey, type AlertKey } from "./alert-keys";
import { checkAlertParts, withParts } from "./alert-parts";
import { requireObject } from "./checks";
import { droppedBy, type Drop } from "./drops";
import { isAlert, type RuleFile } from "./model";

interface KeyedOverride {
  key: AlertKey;
  parts: AlertOverride;
}

/** An override of an alert that is dropped would do nothing: an error, naming the drop. */
function requireKept(
  field: string,
  text: string,
  key: AlertKey,
  ours: readonly RuleFile[],
  drops: readonly Drop[],
) {
  const reasons = ours.flatMap((file) =>
    file.group.rules
      .filter(isAlert)
      .flatMap((rule) => (matchesKey(key, rule) ? [droppedBy(drops, file, rule)] : [])),
  );
  const [first] = reasons;
  if (first !== undefined && reasons.every((reason) => reason !== undefined)) {
    invalid(
      field,
      text,
      `an alert that is kept, but ${first.field} drops it (${first.what}): remove one of the two`,
    );
  }
}

/** `files` (ours, drops applied) with the overrides applied; every key checked against `ours`. */
export function applyOverrides(
  files: readonly RuleFile[],
  overrides: Record<string, AlertOverride> | undefined,
  ours: readonly RuleFile[],
  drops: readonly Drop[],
): RuleFile[] {
  if (overrides === undefined) return [...files];
  requireObject("overrides", overrides);
  const ourAlerts = ours.flatMap((file) => file.group.rules.filter(isAlert));
  const keyed: KeyedOverride[] = Object.entries(overrides).map(([text, parts]) => {
    const field = `overrides.${text}`;
    const key = resolveAlertKey(field, text, ourAlerts);
    checkAlertParts(field, parts);
    requireKept(field, text, key, ours, drops);
    return { key, parts };
  });
  keyed.sort((a, b) => Number(a.key.severity !== undefined) - Number(b.key.severity !== undefined));
  return files.map((file) => ({
    id: file.id,
    group: {
      name: file.group.name,
      rules: file.group.rules.map((rule) =>
        isAlert(rule)
          ? keyed
              .filter(({ key }) => matchesKey(key, rule))
              .reduce((r, { parts }) => withParts(r, parts), rule)
          : rule,
      ),
    },
  }));
}
