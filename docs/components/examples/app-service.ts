// An AppService for a service of your own: its image, ports, health check, variables and secrets,
// an extra task-role policy, a sidecar, and an RDS PostgreSQL with your database name.
import * as aws from "@pulumi/aws";
import { AppService, DatabaseSsl } from "showcase-monitoring";
import { placement, publicSubnetIds } from "./network";

const queue = new aws.sqs.Queue("orders");

export const orders = new AppService("orders", {
  ...placement,
  publicSubnetIds,
  image: "ghcr.io/example/orders:4.2.0",
  containerPort: 8080,
  metricsPort: 9100,
  healthCheckPath: "/healthz",
  environment: { QUEUE_URL: queue.url },
  secrets: { API_KEY: "arn:aws:ssm:us-east-1:123456789012:parameter/orders/api-key" },
  taskRolePolicies: {
    queue: queue.arn.apply((arn) =>
      JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: ["sqs:SendMessage"], Resource: arn }],
      }),
    ),
  },
  sidecars: [{ name: "proxy", image: "envoyproxy/envoy:v1.34.1", ports: [15000] }],
  rds: { databaseName: "orders", instanceClass: "db.t4g.small", multiAz: true },
  databaseSsl: DatabaseSsl.Require,
  minCount: 3,
  maxCount: 30,
});

export const url = orders.url;
