import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { problemOf } from "./monitoring/schema";

/** The error of a bad argument: names the component and the argument, attached to the component. */
export function argError(
  component: pulumi.Resource,
  name: string,
  arg: string,
  problem: string,
): pulumi.ResourceError {
  return new pulumi.ResourceError(`${name}: ${arg} ${problem}`, component);
}

/** Checks a plain argument against the package's value schema; throws argError naming `arg`. */
export function checkArg<T>(
  component: pulumi.Resource,
  name: string,
  arg: string,
  schema: z.ZodType<T>,
  value: unknown,
): T {
  const problem = problemOf(schema, value);
  if (problem !== undefined) throw argError(component, name, arg, `${problem}, got ${JSON.stringify(value)}`);
  return value as T;
}
