// The series an alert rule reads, as the queries that prove they exist: for each selector of the
// rule, `count by (labels) (selector)` over the labels the rule keeps from it (its innermost
// `by (...)`, or the labels its annotations print when it does not aggregate, less those a
// group_left/group_right join brings from the other side).
import type { AlertRule } from "showcase-monitoring/monitoring";
import { parsePromql } from "../monitoring/support/promql";

export interface SelectorProbe {
  alert: string;
  metric: string;
  labels: string[];
  query: string;
}

type Node = ReturnType<typeof parsePromql>;

/** The label names of the innermost aggregation around `node` that keeps labels (`by`), if any. */
function groupingOf(node: Node): Node[] | undefined {
  for (let at: Node | null = node.parent; at; at = at.parent) {
    if (at.name !== "AggregateExpr") continue;
    const modifier = at.getChild("AggregateModifier");
    return modifier?.getChild("By")
      ? (modifier.getChild("GroupingLabels")?.getChildren("LabelName") ?? [])
      : [];
  }
  return undefined;
}

/**
 * The labels a selector under a one-to-many join must carry itself: on the "one" side the labels
 * matched on (`on`, or the printed ones less `ignoring`) and those it hands over; on the "many"
 * side the printed ones less those handed over. `undefined` outside such a join.
 */
function joinedLabels(node: Node, printed: string[], text: (n: Node) => string): string[] | undefined {
  for (let at: Node | null = node.parent; at; at = at.parent) {
    if (at.name !== "BinaryExpr") continue;
    const clause = at.getChild("MatchingModifierClause");
    const group = clause?.getChild("GroupLeft") ?? clause?.getChild("GroupRight");
    if (!clause || !group) continue;
    const [matching, handed] = clause
      .getChildren("GroupingLabels")
      .map((g) => g.getChildren("LabelName").map(text));
    const included = handed ?? [];
    const onLeft = node.from < clause.from;
    const manySide = group.name === "GroupLeft" ? onLeft : !onLeft;
    if (manySide) return printed.filter((label) => !included.includes(label));
    const matched = clause.getChild("On")
      ? (matching ?? [])
      : printed.filter((label) => !(matching ?? []).includes(label));
    return [...new Set([...matched, ...included])];
  }
  return undefined;
}

export function selectorProbes(rule: AlertRule): SelectorProbe[] {
  const { expr } = rule;
  const text = (node: Node) => expr.slice(node.from, node.to);
  const annotations = `${rule.annotations.summary} ${rule.annotations.description}`;
  const printed = [...new Set(Array.from(annotations.matchAll(/\$labels\.(\w+)/g), (m) => m[1] ?? ""))];
  const probes: SelectorProbe[] = [];
  const cursor = parsePromql(expr).cursor();
  do {
    if (cursor.name !== "VectorSelector") continue;
    const node = cursor.node;
    const metric = node.getChild("Identifier");
    if (!metric) continue;
    const grouping = groupingOf(node);
    const labels = grouping?.map(text) ?? joinedLabels(node, printed, text) ?? printed;
    probes.push({
      alert: rule.alert,
      metric: text(metric),
      labels,
      query: `count by (${labels.join(", ")}) (${text(node)})`,
    });
  } while (cursor.next());
  return probes;
}
