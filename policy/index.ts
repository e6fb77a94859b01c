// The policy pack's entry module: constructing a PolicyPack starts the gRPC server the Pulumi engine
// talks to (and keeps the process alive), so nothing else lives here; the policies are in src/.
import { PolicyPack } from "@pulumi/policy";
import { PACK_NAME, policies } from "./src/policies";

new PolicyPack(PACK_NAME, {
  policies,
  enforcementLevel: "mandatory",
  description: "The security and operability promises of the showcase-monitoring stacks",
});
