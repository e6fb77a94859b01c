// Reading a file the configuration names by path: a problem names the variable, the path and the
// error code, never the contents (a key or a token must not reach a log or an error message).
import { readFileSync } from "node:fs";

/** The file's text, or undefined with a problem naming `variable` when it cannot be read. */
export function readTextFile(variable: string, path: string, problems: string[]): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    problems.push(`${variable} cannot be read (${path}): ${code}`);
    return undefined;
  }
}
