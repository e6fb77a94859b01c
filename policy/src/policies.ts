// Every policy of the pack, in the order the README lists them.
import type { Policies } from "@pulumi/policy";
import { httpRedirectsToHttps, httpsListenerTlsPolicy } from "./listeners";
import { logRetentionSet } from "./logs";
import { alertsHaveRunbooks, ecsServicesScraped } from "./monitoring";
import { noIngressFromAnywhere, servicePortsFromClientsOnly } from "./network";
import { efsEncrypted, rdsEncrypted, rdsPrivate, s3Encrypted } from "./storage";
import { tagsPresent } from "./tags";
import { noPlainHttpInsideVpc } from "./tls";
import {
  grafanaNoAnonymousOrSignUp,
  imagesPinned,
  noPublicIpOnTasks,
  noSecretsInTaskEnvironment,
} from "./tasks";

/** The name the engine reports violations under (`showcase-monitoring@v<package.json version>`). */
export const PACK_NAME = "showcase-monitoring";

export const policies: Policies = [
  noIngressFromAnywhere,
  servicePortsFromClientsOnly,
  efsEncrypted,
  rdsEncrypted,
  rdsPrivate,
  s3Encrypted,
  httpsListenerTlsPolicy,
  httpRedirectsToHttps,
  noPlainHttpInsideVpc,
  noSecretsInTaskEnvironment,
  imagesPinned,
  tagsPresent,
  logRetentionSet,
  grafanaNoAnonymousOrSignUp,
  noPublicIpOnTasks,
  ecsServicesScraped,
  alertsHaveRunbooks,
];
