// PromQL parsing with Prometheus' own Lezer grammar (the one its web UI uses).
import { parser } from "@prometheus-io/lezer-promql";

/** The syntax tree of `expr`; throws with the expression when the grammar finds an error node. */
export function parsePromql(expr: string): ReturnType<typeof parser.parse>["topNode"] {
  const tree = parser.parse(expr);
  let error: number | undefined;
  tree.iterate({
    enter: (node) => {
      if (node.type.isError && error === undefined) error = node.from;
    },
  });
  if (error !== undefined)
    throw new Error(`PromQL syntax error at ${error}: ${expr.slice(0, error)} ⟨here⟩ ${expr.slice(error)}`);
  return tree.topNode;
}
