// What a PromQL expression reads from each series it selects: the metric, the job it selects by
// (`job="..."`), the label values it requires (its `=` matchers) and the label names it reads: its
// matchers', the `by`/`without` labels of the aggregations around it, the `on` labels of the joins
// around it, the labels a group_left/group_right hands over from its side, and, when it is the
// expression's only selector, the labels its legend or annotations print.
import { parsePromql } from "./promql";

type Node = ReturnType<typeof parsePromql>;

export interface Selection {
  metric: string;
  /** The value of its `job="..."` matcher, if it has one. */
  job: string | undefined;
  /** Its `label="value"` matchers, as written. */
  equalities: string[];
  labels: string[];
}

/** The label names printed by `{{ $labels.x }}` (annotations) and `{{x}}` (legends). */
export function printedLabels(...templates: string[]): string[] {
  const names = templates.flatMap((t) =>
    Array.from(t.matchAll(/\{\{\s*(?:\$labels\.)?(\w+)\s*\}\}|\$labels\.(\w+)/g), (m) => m[1] ?? m[2] ?? ""),
  );
  return [...new Set(names)];
}

export function selections(expr: string, printed: string[] = []): Selection[] {
  const text = (node: Node) => expr.slice(node.from, node.to);
  const names = (grouping: Node | undefined) => grouping?.getChildren("LabelName").map(text) ?? [];
  const selectors: Node[] = [];
  const cursor = parsePromql(expr).cursor();
  do {
    if (cursor.name === "VectorSelector") selectors.push(cursor.node);
  } while (cursor.next());
  return selectors.flatMap((node) => {
    const identifier = node.getChild("Identifier");
    if (!identifier) return [];
    const matchers = (node.getChild("LabelMatchers")?.getChildren("UnquotedLabelMatcher") ?? []).map((m) => ({
      label: text(m.getChild("LabelName")!),
      equal: m.getChild("MatchOp")?.getChild("EqlSingle") !== null,
      value: JSON.parse(text(m.getChild("StringLiteral")!)) as string,
      text: text(m),
    }));
    const labels = new Set(matchers.map((m) => m.label));
    for (let at = node.parent; at; at = at.parent) {
      if (at.name === "AggregateExpr")
        names(at.getChild("AggregateModifier")?.getChild("GroupingLabels") ?? undefined).forEach((l) =>
          labels.add(l),
        );
      const clause = at.name === "BinaryExpr" ? at.getChild("MatchingModifierClause") : null;
      if (!clause) continue;
      const [matching, handed] = clause.getChildren("GroupingLabels");
      if (clause.getChild("On")) names(matching).forEach((l) => labels.add(l));
      // The "one" side of a one-to-many join hands its labels over: right of group_left.
      const group = clause.getChild("GroupLeft") ?? clause.getChild("GroupRight");
      const onLeft = node.from < clause.from;
      if (group && (group.name === "GroupLeft") !== onLeft) names(handed).forEach((l) => labels.add(l));
    }
    if (selectors.length === 1) printed.forEach((l) => labels.add(l));
    const equal = matchers.filter((m) => m.equal);
    return [
      {
        metric: text(identifier),
        job: equal.find((m) => m.label === "job")?.value,
        equalities: equal.map((m) => m.text),
        labels: [...labels].sort(),
      },
    ];
  });
}
