// What the Pulumi CLI prints for a preview and for policy violations, in its non-interactive format
// (the one pulumi/actions captures and posts), rendered from a resource set collected under mocks
// and the policy pack's real diagnostics. Follows pkg/backend/display of Pulumi 3.248: rows
// ` +  <type> <name> create`, types shortened as the CLI's DisplayName does, the Policies section
// sorted by enforcement level, severity, policy and resource.
import type { Violation } from "../test/policy/policy-engine";
import type { ResourceSet } from "../test/policy/resource-set";

/** `aws:ec2/securityGroup:SecurityGroup` → `aws:ec2:SecurityGroup`, as the CLI shows types. */
export function displayType(type: string): string {
  const [pkg, module, name, ...rest] = type.split(":");
  if (pkg === undefined || module === undefined || name === undefined || name === "" || rest.length > 0)
    return type;
  const slash = module.lastIndexOf("/");
  if (slash === -1 || module.slice(slash + 1) !== name.charAt(0).toLowerCase() + name.slice(1)) return type;
  return `${pkg}:${module.slice(0, slash)}:${name}`;
}

export interface Pack {
  name: string;
  version: string;
  /** As given to --policy-pack. */
  path: string;
}

const LEVEL_RANK: Record<string, number> = { remediate: 0, mandatory: 1, advisory: 2, disabled: 3 };
const SEVERITY_RANK: Record<string, number> = { critical: 0, high: 1, medium: 2, low: 3, "": 4 };

function stackUrn(set: ResourceSet): string {
  return `urn:pulumi:${set.stack}::${set.project}::pulumi:pulumi:Stack::${set.project}-${set.stack}`;
}

/** The "Policies:" section. */
export function policiesSection(set: ResourceSet, pack: Pack, violations: Violation[]): string[] {
  const mark = violations.some((v) => v.enforcementLevel === "mandatory")
    ? "❌"
    : violations.length > 0
      ? "⚠️"
      : "✅";
  const sorted = [...violations].sort(
    (a, b) =>
      (LEVEL_RANK[a.enforcementLevel] ?? 99) - (LEVEL_RANK[b.enforcementLevel] ?? 99) ||
      (SEVERITY_RANK[a.severity] ?? 99) - (SEVERITY_RANK[b.severity] ?? 99) ||
      a.policyName.localeCompare(b.policyName) ||
      a.urn.localeCompare(b.urn),
  );
  const lines = ["Policies:", `    ${mark} ${pack.name}@v${pack.version} (local: ${pack.path})`];
  for (const v of sorted) {
    const urn = v.urn || stackUrn(set);
    const type = urn.split("::")[2]?.split("$").pop() ?? "";
    const name = urn.split("::").pop() ?? "";
    const severity = v.severity === "" ? "" : ` [severity: ${v.severity}]`;
    lines.push(`        - [${v.enforcementLevel}]${severity}  ${v.policyName}  (${type}: ${name})`);
    for (const line of v.message.split("\n")) lines.push(`          ${line}`);
  }
  lines.push("");
  return lines;
}

/**
 * `pulumi preview` of a stack that does not exist yet, as the DIY backend prints it: every resource
 * to create, then the policy packs, then the summary (left out, as the CLI does, after a mandatory
 * violation). Default providers are not shown, as in the CLI.
 */
export function previewOutput(set: ResourceSet, pack: Pack, violations: Violation[]): string {
  const stack = `pulumi:pulumi:Stack ${set.project}-${set.stack}`;
  const rows = set.resources.map((r) => ` +  ${displayType(r.type)} ${r.name} create`);
  const lines = [
    `Previewing update (${set.stack}):`,
    ` +  ${stack} create`,
    ...rows,
    ` +  ${stack} create`,
    ...policiesSection(set, pack, violations),
  ];
  if (!violations.some((v) => v.enforcementLevel === "mandatory")) {
    lines.push("Resources:", `    + ${rows.length + 1} to create`, "");
  }
  return lines.join("\n");
}

function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

/** The pull request comment pulumi/actions v7 posts (and edits in place) for a preview. */
export function previewComment(set: ResourceSet, output: string): string {
  return [
    `#### :tropical_drink: \`preview\` on ${set.project}/${set.stack}`,
    "",
    "<details>",
    "<summary>Pulumi report</summary>",
    "",
    "<pre>",
    escapeHtml(output.trimEnd()),
    "</pre>",
    "",
    "</details>",
  ].join("\n");
}
