// HTTP as bytes on a socket, for what no well-behaved client sends: malformed requests, slow
// headers and bodies, connections that never send anything.
import { connect, type Socket } from "node:net";
import { once } from "node:events";

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Parses the first answer in `text`; the status is 0 when nothing came back. */
export function parseAnswer(text: string): RawAnswer {
  const [head = "", ...rest] = text.split("\r\n\r\n");
  const [statusLine = "", ...lines] = head.split("\r\n");
  const headers = Object.fromEntries(
    lines.map((line) => {
      const colon = line.indexOf(":");
      return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()];
    }),
  );
  return { status: Number(statusLine.split(" ")[1] ?? 0), headers, body: rest.join("\r\n\r\n") };
}

export interface RawConnection {
  socket: Socket;
  /** Resolves with everything received once the server has closed the connection. */
  closed: Promise<string>;
}

export async function openRaw(port: number): Promise<RawConnection> {
  const socket = connect(port, "127.0.0.1");
  let received = "";
  socket.on("data", (chunk: Buffer) => (received += chunk.toString()));
  socket.on("error", () => undefined); // a reset is an ending too
  // Not events.once: it would reject on an error before the close.
  const closed = new Promise<string>((resolve) => socket.once("close", () => resolve(received)));
  await once(socket, "connect");
  return { socket, closed };
}

/** Sends `bytes` and returns the answer once the server closes the connection. */
export async function exchange(port: number, bytes: string): Promise<RawAnswer> {
  const connection = await openRaw(port);
  connection.socket.write(bytes);
  return parseAnswer(await connection.closed);
}

/** Writes `text` one character every `everyMs` until the connection closes. */
export function trickle(connection: RawConnection, text: string, everyMs: number): void {
  let sent = 0;
  const timer = setInterval(() => {
    if (connection.socket.destroyed || sent >= text.length) return clearInterval(timer);
    connection.socket.write(text[sent++]!);
  }, everyMs);
  void connection.closed.then(() => clearInterval(timer));
}
