// A stand-in for `aws servicediscovery discover-instances` with the CLI's own client-side
// `--query` behaviour: the answer (a DiscoverInstances response, API shape) comes from the file
// named by STUB_RESPONSE_FILE, the query is applied with JMESPath (the library the CLI uses, in
// its JavaScript port), the output is JSON. A STUB_FAIL file makes it fail as the CLI does when
// the API is unreachable. Every call is appended to STUB_CALLS_FILE.
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { search } from "jmespath";

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const index = args.indexOf(name);
  return index < 0 ? undefined : args[index + 1];
};
const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`aws stub: ${name} is not set`);
  return value;
};

appendFileSync(env("STUB_CALLS_FILE"), `${JSON.stringify(args)}\n`);
if (args[0] !== "servicediscovery" || args[1] !== "discover-instances") {
  process.stderr.write(`aws stub: unexpected command ${args.join(" ")}\n`);
  process.exit(252);
}
if (existsSync(env("STUB_FAIL"))) {
  process.stderr.write(
    "Could not connect to the endpoint URL: https://data-servicediscovery.us-east-1.amazonaws.com/\n",
  );
  process.exit(255);
}
const response = JSON.parse(readFileSync(env("STUB_RESPONSE_FILE"), "utf8")) as unknown;
const query = option("--query");
process.stdout.write(
  `${JSON.stringify(query === undefined ? response : search(response, query), null, 4)}\n`,
);
