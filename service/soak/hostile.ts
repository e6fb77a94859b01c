// The soak's hostile clients on raw sockets: protocol-level garbage at a steady rate, bodies and
// headers sent a byte a second, and connections that never send anything.
import { exchange, openRaw, parseAnswer, trickle, type RawConnection } from "../test/support/raw-http";

const GARBAGE = [
  "BREW /health HTTP/1.1\r\nHost: x\r\n\r\n",
  "GET /health HTTP/1.1\r\nHost: x\r\nnot a header\r\n\r\n",
  "GET /health HTTP/1.1\r\n\r\n",
  `GET /health HTTP/1.1\r\nHost: x\r\nx-big: ${"a".repeat(20_000)}\r\n\r\n`,
  "POST /api/projects HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n",
  "\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003", // a TLS ClientHello's first bytes
];

export class Garbage {
  /** Statuses answered, by status ("0": the connection closed without an answer). */
  readonly statuses = new Map<number, number>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly port: number) {}

  start(everyMs: number): void {
    let next = 0;
    this.timer = setInterval(() => {
      void exchange(this.port, GARBAGE[next++ % GARBAGE.length]!).then(
        ({ status }) => this.count(status),
        () => this.count(0), // refused: the service has stopped listening
      );
    }, everyMs);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private count(status: number): void {
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
  }
}

export interface SlowClient {
  connection: RawConnection;
  /** The answer's status once the server closed the connection (0: closed without one). */
  status: Promise<{ status: number; closedAt: number }>;
}

const ended = (connection: RawConnection) =>
  connection.closed.then((text) => ({ status: parseAnswer(text).status, closedAt: performance.now() }));

/** A POST whose body arrives a byte a second. */
export async function slowBody(port: number): Promise<SlowClient> {
  const connection = await openRaw(port);
  const body = JSON.stringify({ name: "sent one byte a second", description: "x".repeat(200) });
  connection.socket.write(
    `POST /api/projects HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n`,
  );
  trickle(connection, body, 1_000);
  return { connection, status: ended(connection) };
}

/** Headers that arrive a byte a second. */
export async function slowHeaders(port: number): Promise<SlowClient> {
  const connection = await openRaw(port);
  trickle(connection, `GET /health HTTP/1.1\r\nHost: x\r\nx-slow: ${"a".repeat(1_000)}\r\n\r\n`, 1_000);
  return { connection, status: ended(connection) };
}

/** A connection that never sends a byte, as a load balancer opens ahead of requests. */
export async function idle(port: number): Promise<SlowClient> {
  const connection = await openRaw(port);
  return { connection, status: ended(connection) };
}
