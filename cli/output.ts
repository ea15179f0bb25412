// How every CLI command reports: human text by default, one JSON document with --json; errors on stderr, non-zero exit.
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

/** Runs a parse of user input; its failure is a usage error (exit 2), not a runtime failure (exit 1). */
export function parseInput<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new CliError(error instanceof Error ? error.message : String(error));
  }
}

export type OutputOptions = { json?: boolean };

export function printResult(options: OutputOptions, data: unknown, human: () => string): void {
  if (options.json) process.stdout.write(JSON.stringify(data, (_key, value) => (typeof value === "bigint" ? value.toString() : value), 2) + "\n");
  else process.stdout.write(human() + "\n");
}

export function printError(json: boolean, error: unknown): number {
  const message = error instanceof Error ? error.message : String(error);
  const exitCode = error instanceof CliError ? error.exitCode : 1;
  if (json) process.stderr.write(JSON.stringify({ error: message }) + "\n");
  else process.stderr.write(`disco: ${message}\n`);
  return exitCode;
}

export function table(rows: Record<string, unknown>[], columns: string[]): string {
  if (rows.length === 0) return "(none)";
  const cells = rows.map((row) => columns.map((column) => String(row[column] ?? "")));
  const widths = columns.map((column, index) => Math.max(column.length, ...cells.map((cell) => cell[index]!.length)));
  const line = (values: string[]) => values.map((value, index) => value.padEnd(widths[index]!)).join("  ").trimEnd();
  return [line(columns), line(widths.map((width) => "-".repeat(width))), ...cells.map(line)].join("\n");
}
