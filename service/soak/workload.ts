// The soak's mixed load: workers that list, read, create, update and delete, with a share of
// requests the API must refuse (bad JSON, non-finite numbers, unpaired surrogates, unknown
// fields, bad ids). Each worker writes only its own projects, so the ledger knows their order.
import type { Answer, Client } from "./client";
import type { Ledger, ProjectState } from "./ledger";

export interface Sample {
  kind: "api" | "refusal";
  status: number;
  ms: number;
  at: number;
}

/** Characters that stress encodings and lengths: astral, combining, right-to-left, quotes. */
const ALPHABET = ["a", "é", "\u0301", "😀", "𝔘", "漢", "\u202e", "'", '"', "\\", " ", "%"];
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;
const text = (min: number, max: number) =>
  Array.from({ length: min + Math.floor(Math.random() * (max - min + 1)) }, () => pick(ALPHABET)).join("");

/** Requests the API must answer with a 4xx. */
const REFUSED: readonly ((client: Client) => Promise<Answer>)[] = [
  (c) => c.send("POST", "/api/projects", undefined, '{"name": "x",'),
  (c) => c.send("GET", `/api/projects?limit=${pick(["Infinity", "-Infinity", "1e400", "0", "ten"])}`),
  (c) => c.send("GET", `/api/projects?offset=${pick(["Infinity", "1e400", "-1"])}`),
  (c) => c.send("POST", "/api/projects", { name: pick(["\ud800", "a\udc00", "x\u0000"]) }),
  (c) => c.send("POST", "/api/projects", { name: "x", tags: ["\ud800", "\ud801"] }),
  (c) => c.send("POST", "/api/projects", { name: "x", owner: "me" }),
  (c) => c.send("POST", "/api/projects", { name: "😀".repeat(201) }),
  (c) => c.send("GET", `/api/projects/${pick(["nope", "%ED%A0%80", "1e400"])}`),
  (c) => c.send("PATCH", "/api/projects/00000000-0000-4000-8000-000000000000", {}),
];

export class Workload {
  readonly samples: Sample[] = [];
  private stopped = false;
  private readonly running: Promise<void>[] = [];
  private readonly everyId: string[] = [];

  constructor(
    private readonly client: Client,
    private readonly ledger: Ledger,
  ) {}

  start(workers: number): void {
    for (let i = 0; i < workers; i++) this.running.push(this.worker(i));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.running);
  }

  private record(kind: Sample["kind"], answer: Answer): Answer {
    this.samples.push({ kind, status: answer.status, ms: answer.ms, at: answer.at });
    return answer;
  }

  private async worker(n: number): Promise<void> {
    const own: string[] = [];
    let created = 0;
    const api = async (method: string, path: string, payload?: unknown) =>
      this.record("api", await this.client.send(method, path, payload));
    while (!this.stopped) {
      const r = Math.random();
      const target = own.length > 0 ? pick(own) : undefined;
      const state = target === undefined ? undefined : this.ledger.writable(target);
      if (r < 0.3) {
        await api("GET", `/api/projects?limit=20&offset=${Math.floor(Math.random() * 50)}`);
      } else if (r < 0.5 && this.everyId.length > 0) {
        await api("GET", `/api/projects/${pick(this.everyId)}`);
      } else if (r < 0.68 || state === undefined) {
        const sent: ProjectState = {
          name: `w${n}-${created++} ${text(1, 40)}`,
          description: text(0, 200),
          url:
            Math.random() < 0.5
              ? null
              : `https://example.com/p/${created}?q=${encodeURIComponent(text(1, 5))}`,
          tags: [...new Set(Array.from({ length: Math.floor(Math.random() * 4) }, () => text(1, 10)))],
        };
        const { url, ...withoutUrl } = sent;
        const answer = await api("POST", "/api/projects", url === null ? withoutUrl : sent);
        const id = this.ledger.created(sent, answer.status, answer.body);
        if (id !== undefined) {
          own.push(id);
          this.everyId.push(id);
        }
      } else if (r < 0.83) {
        const changes = Math.random() < 0.5 ? { name: `w${n} ${text(1, 30)}` } : { tags: [text(1, 8)] };
        const answer = await api("PATCH", `/api/projects/${target}`, changes);
        this.ledger.written(target!, { ...state, ...changes }, answer.status, answer.body);
      } else if (r < 0.88) {
        const answer = await api("DELETE", `/api/projects/${target}`);
        this.ledger.written(target!, undefined, answer.status, answer.body);
      } else {
        this.record("refusal", await pick(REFUSED)(this.client));
      }
      // A project deleted, or written with an uncertain answer, is not written again.
      if (target !== undefined && this.ledger.writable(target) === undefined)
        own.splice(own.indexOf(target), 1);
    }
  }
}
