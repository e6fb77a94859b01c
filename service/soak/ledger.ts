// What the soak's writers were told, checked against what the database holds at the end. A write
// acknowledged (201/200/204) must be there exactly as acknowledged, and an acknowledgement must
// carry exactly what was sent. A write whose answer was a 5xx or never came may or may not have
// happened: both outcomes are accepted, and the project is not written again.

export interface ProjectState {
  name: string;
  description: string;
  url: string | null;
  tags: string[];
}

type Outcome = ProjectState | "deleted";

const key = (outcome: Outcome) =>
  outcome === "deleted"
    ? outcome
    : JSON.stringify([outcome.name, outcome.description, outcome.url, outcome.tags]);

function stateOf(body: unknown): ProjectState | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const { name, description, url, tags } = body as Record<string, unknown>;
  return { name, description, url, tags } as ProjectState;
}

interface Entry {
  /** Outcomes consistent with the answers so far; one unless an answer was uncertain. */
  possible: Outcome[];
}

export class Ledger {
  private readonly entries = new Map<string, Entry>();
  acknowledged = 0;
  /** Acknowledgements whose body differed from what was sent. */
  alteredAnswers = 0;
  /** Acknowledged projects that an answer later said did not exist. */
  lostOnline = 0;
  /** Writes answered with a 5xx or not at all. */
  uncertain = 0;

  /** Whether `answer` carries exactly `expected`; counts it when it does not. */
  private checkAnswer(expected: ProjectState, body: unknown): void {
    const answered = stateOf(body);
    if (answered === undefined || key(answered) !== key(expected)) this.alteredAnswers++;
  }

  /** The one state of a project that may be written (not deleted, no uncertain answer). */
  writable(id: string): ProjectState | undefined {
    const possible = this.entries.get(id)?.possible;
    return possible?.length === 1 && possible[0] !== "deleted" ? possible[0] : undefined;
  }

  created(sent: ProjectState, status: number, body: unknown): string | undefined {
    if (status !== 201) {
      if (status === 0 || status >= 500) this.uncertain++;
      return undefined;
    }
    this.acknowledged++;
    this.checkAnswer(sent, body);
    const id = (body as { id: string }).id;
    this.entries.set(id, { possible: [sent] });
    return id;
  }

  /** An update (`next`) or a delete (undefined) of a writable project was answered `status`. */
  written(id: string, next: ProjectState | undefined, status: number, body: unknown): void {
    const entry = this.entries.get(id)!;
    const before = entry.possible[0]!;
    const after: Outcome = next ?? "deleted";
    if (status === 200 || status === 204) {
      this.acknowledged++;
      if (next !== undefined) this.checkAnswer(next, body);
      entry.possible = [after];
    } else if (status === 404) {
      this.lostOnline++;
      entry.possible = ["deleted"];
    } else if (status === 0 || status >= 500) {
      this.uncertain++;
      entry.possible = [before, after];
    }
  }

  /** Compares with the rows the database holds: lost (missing) and altered (different) writes. */
  verify(rows: Map<string, ProjectState>): { lost: number; altered: number; checked: number } {
    let lost = this.lostOnline;
    let altered = 0;
    for (const [id, { possible }] of this.entries) {
      const row = rows.get(id);
      const actual = row === undefined ? "deleted" : key(row);
      if (possible.some((outcome) => key(outcome) === actual)) continue;
      if (row === undefined) lost++;
      else altered++;
    }
    return { lost, altered: altered + this.alteredAnswers, checked: this.entries.size };
  }
}
