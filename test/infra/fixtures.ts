// Arguments shared by the component tests: an existing VPC, subnets, cluster and namespace.
export const placement = {
  vpcId: "vpc-0test",
  privateSubnetIds: ["subnet-private-a", "subnet-private-b"],
  clusterArn: "arn:aws:ecs:us-east-1:123456789012:cluster/test-cluster",
  namespace: { id: "ns-test", name: "test.showcase.internal" },
};
export const publicSubnetIds = ["subnet-public-a", "subnet-public-b"];
/** PrometheusServer's targets in the component tests: the app (with its exporter) and Alertmanager. */
export const scrapeTargets = {
  app: {
    namespaceName: "test.showcase.internal",
    serviceName: "app",
    metricsPort: 9464,
    ecsExporterPort: 9779,
    securityGroupId: "sg-app",
  },
  alertmanager: {
    hostname: "alertmanager.test.showcase.internal",
    port: 9093,
    securityGroupId: "sg-alertmanager",
  },
};
