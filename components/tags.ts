import * as pulumi from "@pulumi/pulumi";

export type Tags = Record<string, string>;

/** Tags of every taggable resource of a component: project, stack and the component's name. */
export function componentTags(component: string, extra: Tags = {}): Tags {
  return { ...extra, project: pulumi.getProject(), stack: pulumi.getStack(), component };
}
