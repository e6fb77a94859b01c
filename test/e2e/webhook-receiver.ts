// An HTTP server that takes Alertmanager's webhook notifications and remembers when each arrived.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface Notification {
  receivedAt: number;
  status: "firing" | "resolved";
  receiver: string;
  alerts: { status: string; labels: Record<string, string>; annotations: Record<string, string> }[];
}

export interface WebhookReceiver {
  readonly url: string;
  readonly notifications: Notification[];
  /** The first notification at or after `since` with a firing alert named `alertname`. */
  firing(alertname: string, since: number): Notification | undefined;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const notifications: Notification[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      try {
        const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Omit<Notification, "receivedAt">;
        notifications.push({ ...body, receivedAt: Date.now() });
        response.writeHead(200).end();
      } catch {
        response.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolveListen) => server.listen(0, "127.0.0.1", resolveListen));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/alerts`,
    notifications,
    firing: (alertname, since) =>
      notifications.find(
        (n) =>
          n.receivedAt >= since &&
          n.alerts.some((a) => a.status === "firing" && a.labels.alertname === alertname),
      ),
    close: () => new Promise((resolveClose) => server.close(() => resolveClose())),
  };
}
