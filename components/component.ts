// What every component of the package shares: its type token and the alias of the token it had
// before the package was published (`showcase:index:X`), so stacks made with that keep their
// resources instead of replacing them.
import type * as pulumi from "@pulumi/pulumi";

/** The package name: the first part of every type token, as Pulumi's schema inference requires. */
export const PACKAGE_NAME = "showcase-monitoring";

export function typeToken(component: string): string {
  return `${PACKAGE_NAME}:index:${component}`;
}

/** `opts` with the alias of the component's pre-0.2 type token added to the caller's aliases. */
export function componentOptions(
  component: string,
  opts: pulumi.ComponentResourceOptions | undefined,
): pulumi.ComponentResourceOptions {
  return { ...opts, aliases: [...(opts?.aliases ?? []), { type: `showcase:index:${component}` }] };
}
