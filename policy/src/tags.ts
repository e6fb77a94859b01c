// Tags on every AWS resource that accepts them: cost allocation, ownership, and the `component`
// tag the other policies read.
import { createRequire } from "node:module";
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { type Props, tagsOf } from "./resources";

const taggable = new Map<string, boolean>();
const load = createRequire(__filename);

/**
 * Whether the AWS provider accepts `tags` on a resource type: the SDK's resource class forwards a
 * `tags` argument exactly when the provider schema has one.
 */
export function acceptsTags(type: string): boolean {
  const known = taggable.get(type);
  if (known !== undefined) return known;
  const match = /^aws:([\w-]+)\/(\w+):(\w+)$/.exec(type);
  let result = false;
  if (match !== null) {
    const [, module = "", file = "", className = ""] = match;
    const path = module === "index" ? `@pulumi/aws/${file}` : `@pulumi/aws/${module}/${file}`;
    // A type this SDK version does not know cannot be checked; the provider would reject it anyway.
    const exported = loadClass(path, className);
    result =
      typeof exported === "function" && /resourceInputs\["tags"\] = args\?\.tags/.test(exported.toString());
  }
  taggable.set(type, result);
  return result;
}

function loadClass(path: string, className: string): unknown {
  try {
    return (load(path) as Record<string, unknown>)[className];
  } catch (error) {
    if ((error as { code?: string }).code === "MODULE_NOT_FOUND") return undefined;
    throw error;
  }
}

interface TagsConfig {
  tags: string[];
  matchUrn: boolean;
}

export const tagsPresent: ResourceValidationPolicy = {
  name: "tags-present",
  description: "Every AWS resource that accepts tags carries the project, stack and component tags.",
  severity: "medium",
  remediationSteps:
    "Pass the component's tags (componentTags(name, extra) in the components) to the resource's `tags`.",
  configSchema: {
    properties: {
      tags: {
        type: "array",
        items: { type: "string" },
        default: ["project", "stack", "component"],
        description: "Tags every taggable resource must carry, non-empty.",
      },
      matchUrn: {
        type: "boolean",
        default: true,
        description: "The project and stack tags must name the resource's own project and stack.",
      },
    },
  },
  validateResource: (args, reportViolation) => {
    if (!args.type.startsWith("aws:") || !acceptsTags(args.type)) return;
    const { tags, matchUrn } = args.getConfig<TagsConfig>();
    const present = tagsOf(args.props as Props);
    const missing = tags.filter((t) => typeof present[t] !== "string" || present[t] === "");
    if (missing.length > 0) {
      reportViolation(`${args.name} lacks the tag${missing.length > 1 ? "s" : ""} ${missing.join(", ")}.`);
    }
    if (!matchUrn) return;
    // urn:pulumi:<stack>::<project>::<type>::<name>
    const [prefix = "", project = ""] = args.urn.split("::");
    const stack = prefix.split(":")[2] ?? "";
    for (const [tag, expected] of [
      ["stack", stack],
      ["project", project],
    ] as const) {
      if (tags.includes(tag) && typeof present[tag] === "string" && present[tag] !== expected) {
        reportViolation(
          `${args.name} has tag ${tag}=${String(present[tag])}, but belongs to ${tag} ${expected}.`,
        );
      }
    }
  },
};
