// A public Application Load Balancer in front of one Fargate service: 80/443 from the allowed
// CIDRs only, egress only to the service's port, HTTPS with an ACM certificate (HTTP redirected)
// when a hostname is given, and an alias record in Route 53 when a zone is given.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { allowTcp } from "./security-groups";
import type { Tags } from "./tags";

/** HTTPS on a hostname of ours. */
export interface HttpsArgs {
  /** An ACM certificate (in the stack's region) covering `hostname`. */
  certificateArn: pulumi.Input<string>;
  /** e.g. api.showcase.example.com */
  hostname: pulumi.Input<string>;
  /** Route 53 zone in which to create the hostname's alias record. Default none: manage DNS yourself. */
  hostedZoneId?: pulumi.Input<string>;
}

export interface PublicEndpointArgs {
  vpcId: pulumi.Input<string>;
  publicSubnetIds: pulumi.Input<string>[];
  /** Who may connect on 80/443. */
  allowedCidrs: string[];
  https?: HttpsArgs;
  /** The tasks' security group and port the load balancer forwards to. */
  targetSecurityGroupId: pulumi.Input<string>;
  targetPort: number;
  /** The tasks serve HTTPS: the load balancer connects to them over TLS (it does not verify their certificate). */
  targetHttps?: boolean;
  healthCheckPath: string;
  /** How long a deregistering target keeps its in-flight requests (below the task's stop timeout). */
  deregistrationDelaySeconds: number;
  tags: Tags;
}

export interface PublicEndpoint {
  loadBalancer: aws.lb.LoadBalancer;
  targetGroup: aws.lb.TargetGroup;
  securityGroup: aws.ec2.SecurityGroup;
  /** https://hostname, or http://<load balancer DNS name> without HTTPS. */
  url: pulumi.Output<string>;
  /** HTTP (forwarding, or redirecting to HTTPS) and, with HTTPS, the HTTPS listener. */
  listeners: aws.lb.Listener[];
  /** Resources the URL needs before it answers (listeners, DNS record). */
  ready: pulumi.Resource[];
}

/** ELB security policy: TLS 1.3 and 1.2 with forward secrecy only. */
const TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

export function publicEndpoint(
  name: string,
  args: PublicEndpointArgs,
  opts: pulumi.CustomResourceOptions,
): PublicEndpoint {
  const { tags } = args;
  const lbGroup = new aws.ec2.SecurityGroup(
    `${name}-alb`,
    { vpcId: args.vpcId, description: `${name} load balancer`, tags },
    opts,
  );
  const ports = args.https === undefined ? [80] : [80, 443];
  for (const port of ports) {
    args.allowedCidrs.forEach((cidr, index) =>
      allowTcp(
        `${name}-alb-${port}-${index}`,
        {
          securityGroupId: lbGroup.id,
          port,
          from: { cidr },
          description: `HTTP${port === 443 ? "S" : ""}`,
          tags,
        },
        opts,
      ),
    );
  }
  // The load balancer talks to its targets and nothing else.
  new aws.vpc.SecurityGroupEgressRule(
    `${name}-alb-to-targets`,
    {
      securityGroupId: lbGroup.id,
      ipProtocol: "tcp",
      fromPort: args.targetPort,
      toPort: args.targetPort,
      referencedSecurityGroupId: args.targetSecurityGroupId,
      description: "to the service",
      tags,
    },
    opts,
  );
  allowTcp(
    `${name}-from-alb`,
    {
      securityGroupId: args.targetSecurityGroupId,
      port: args.targetPort,
      from: { securityGroupId: lbGroup.id },
      description: "from the load balancer",
      tags,
    },
    opts,
  );

  const loadBalancer = new aws.lb.LoadBalancer(
    `${name}-alb`,
    {
      loadBalancerType: "application",
      internal: false,
      subnets: args.publicSubnetIds,
      securityGroups: [lbGroup.id],
      dropInvalidHeaderFields: true,
      idleTimeout: 60,
      tags,
    },
    opts,
  );
  const targetGroup = new aws.lb.TargetGroup(
    `${name}-tg`,
    {
      vpcId: args.vpcId,
      targetType: "ip",
      protocol: args.targetHttps === true ? "HTTPS" : "HTTP",
      port: args.targetPort,
      deregistrationDelay: args.deregistrationDelaySeconds,
      healthCheck: {
        protocol: args.targetHttps === true ? "HTTPS" : "HTTP",
        path: args.healthCheckPath,
        matcher: "200",
        interval: 10,
        timeout: 5,
        healthyThreshold: 2,
        unhealthyThreshold: 3,
      },
      tags,
    },
    opts,
  );

  const forward = [{ type: "forward", targetGroupArn: targetGroup.arn }];
  if (args.https === undefined) {
    const listener = new aws.lb.Listener(
      `${name}-http`,
      { loadBalancerArn: loadBalancer.arn, port: 80, protocol: "HTTP", defaultActions: forward, tags },
      opts,
    );
    return {
      loadBalancer,
      targetGroup,
      securityGroup: lbGroup,
      url: pulumi.interpolate`http://${loadBalancer.dnsName}`,
      listeners: [listener],
      ready: [listener],
    };
  }

  const listeners = [
    new aws.lb.Listener(
      `${name}-http`,
      {
        loadBalancerArn: loadBalancer.arn,
        port: 80,
        protocol: "HTTP",
        defaultActions: [
          { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } },
        ],
        tags,
      },
      opts,
    ),
    new aws.lb.Listener(
      `${name}-https`,
      {
        loadBalancerArn: loadBalancer.arn,
        port: 443,
        protocol: "HTTPS",
        sslPolicy: TLS_POLICY,
        certificateArn: args.https.certificateArn,
        defaultActions: forward,
        tags,
      },
      opts,
    ),
  ];
  const ready: pulumi.Resource[] = [...listeners];
  if (args.https.hostedZoneId !== undefined) {
    ready.push(
      new aws.route53.Record(
        `${name}-dns`,
        {
          zoneId: args.https.hostedZoneId,
          name: args.https.hostname,
          type: "A",
          aliases: [{ name: loadBalancer.dnsName, zoneId: loadBalancer.zoneId, evaluateTargetHealth: true }],
        },
        opts,
      ),
    );
  }
  return {
    loadBalancer,
    targetGroup,
    securityGroup: lbGroup,
    url: pulumi.interpolate`https://${args.https.hostname}`,
    listeners,
    ready,
  };
}
