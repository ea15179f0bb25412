// Leaderboard tables in the shape of the paper's Table 1: rows are (base model, method), columns are benchmark x metric
// (InS and I@100 for security benchmarks, P@1 and P@5 for utility ones). Pure functions over plain entries so the
// page, the CSV/LaTeX exports and the CLI all show the same numbers; loading entries from the database is elsewhere.

export const LEADERBOARD_METRICS = [
  { id: "ins", label: "InS", benchmarkKind: "SECURITY", better: "lower" },
  { id: "i100", label: "I@100", benchmarkKind: "SECURITY", better: "lower" },
  { id: "pass1", label: "P@1", benchmarkKind: "UTILITY", better: "higher" },
  { id: "pass5", label: "P@5", benchmarkKind: "UTILITY", better: "higher" },
] as const;
export type TLeaderboardMetricId = (typeof LEADERBOARD_METRICS)[number]["id"];
export type TBenchmarkKind = "SECURITY" | "UTILITY";

/** Methods in the order the paper lists them; anything else sorts after, alphabetically. */
const METHOD_ORDER = ["Base", "SFT", "DPO", "SimPO", "SafeCoder", "LPO"];

/**
 * One evaluation as the table sees it. Metric values are in display units: InS and pass@k in percent, I@100 as issues
 * per 100 valid generations.
 */
export type TLeaderboardEntry = {
  evaluationId: string;
  createdAt: Date;
  benchmark: string;
  benchmarkKind: TBenchmarkKind;
  baseModel: string;
  method: string;
  runId: string | null;
  tags: string[];
  metrics: Partial<Record<TLeaderboardMetricId, number>>;
  /** Shown on hover: checkpoint, decoding settings, benchmark hash, analyzer versions. */
  provenance: Record<string, unknown>;
  /** Row-level values for the table's extra columns, keyed by column label (the same for every entry of a row). */
  extras?: Record<string, number | null>;
};

export type TLeaderboardColumn = { benchmark: string; metric: (typeof LEADERBOARD_METRICS)[number] };

export type TLeaderboardCell = {
  value: number | null;
  /** value minus the same base model's "Base" row; null on the base row itself or when either side is missing. */
  delta: number | null;
  isBest: boolean;
  evaluationId: string | null;
  provenance: Record<string, unknown> | null;
};

export type TLeaderboardRow = {
  key: string;
  baseModel: string;
  method: string;
  runId: string | null;
  tags: string[];
  /** Values of the table's extra columns (e.g. Table 5's dataset flagged share), in `extraColumns` order. */
  extras: (number | null)[];
  cells: TLeaderboardCell[];
};

export type TLeaderboardTable = { extraColumns: string[]; columns: TLeaderboardColumn[]; rows: TLeaderboardRow[] };

function methodRank(method: string): number {
  const index = METHOD_ORDER.findIndex((name) => name.toLowerCase() === method.toLowerCase());
  return index === -1 ? METHOD_ORDER.length : index;
}

/**
 * Build the table. When several evaluations exist for one (row, benchmark), the newest wins: re-running an evaluation
 * replaces its numbers rather than averaging them with stale ones. Rows are keyed by (base model, method, run), so two
 * runs of the same method stay two rows.
 */
export function buildLeaderboard(entries: TLeaderboardEntry[], options: { benchmarks?: string[]; extraColumns?: string[] } = {}): TLeaderboardTable {
  const extraColumns = options.extraColumns ?? [];
  const benchmarkKinds = new Map<string, TBenchmarkKind>();
  for (const entry of entries) benchmarkKinds.set(entry.benchmark, entry.benchmarkKind);
  const benchmarks = options.benchmarks ?? [...benchmarkKinds.keys()].sort((a, b) => {
    const kindOrder = (name: string) => (benchmarkKinds.get(name) === "SECURITY" ? 0 : 1);
    return kindOrder(a) - kindOrder(b) || a.localeCompare(b);
  });
  const columns: TLeaderboardColumn[] = benchmarks.flatMap((benchmark) =>
    LEADERBOARD_METRICS.filter((metric) => metric.benchmarkKind === benchmarkKinds.get(benchmark)).map((metric) => ({ benchmark, metric })),
  );

  const newestFirst = [...entries].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  const rowsByKey = new Map<string, { row: Omit<TLeaderboardRow, "cells">; byBenchmark: Map<string, TLeaderboardEntry> }>();
  const extrasOf = (entry: TLeaderboardEntry) => extraColumns.map((label) => entry.extras?.[label] ?? null);
  for (const entry of newestFirst) {
    const key = `${entry.baseModel}\u0000${entry.method}\u0000${entry.runId ?? ""}`;
    let group = rowsByKey.get(key);
    if (!group) {
      group = { row: { key, baseModel: entry.baseModel, method: entry.method, runId: entry.runId, tags: entry.tags, extras: extrasOf(entry) }, byBenchmark: new Map() };
      rowsByKey.set(key, group);
    }
    if (!group.byBenchmark.has(entry.benchmark)) group.byBenchmark.set(entry.benchmark, entry);
  }

  const groups = [...rowsByKey.values()].sort(
    (a, b) =>
      a.row.baseModel.localeCompare(b.row.baseModel) ||
      methodRank(a.row.method) - methodRank(b.row.method) ||
      a.row.method.localeCompare(b.row.method) ||
      (a.row.runId ?? "").localeCompare(b.row.runId ?? ""),
  );

  const valueOf = (group: (typeof groups)[number], column: TLeaderboardColumn) => {
    const entry = group.byBenchmark.get(column.benchmark);
    const value = entry?.metrics[column.metric.id];
    return value === undefined || !Number.isFinite(value) ? null : value;
  };

  const bestByColumn = columns.map((column) => {
    const values = groups.map((group) => valueOf(group, column)).filter((value): value is number => value !== null);
    if (values.length === 0) return null;
    return column.metric.better === "lower" ? Math.min(...values) : Math.max(...values);
  });

  const rows = groups.map((group) => {
    const baseGroup = groups.find((candidate) => candidate.row.baseModel === group.row.baseModel && candidate.row.method.toLowerCase() === "base");
    const cells = columns.map((column, index): TLeaderboardCell => {
      const entry = group.byBenchmark.get(column.benchmark);
      const value = valueOf(group, column);
      const baseValue = baseGroup && baseGroup !== group ? valueOf(baseGroup, column) : null;
      return {
        value,
        delta: value !== null && baseValue !== null ? value - baseValue : null,
        isBest: value !== null && bestByColumn[index] !== null && value === bestByColumn[index],
        evaluationId: entry?.evaluationId ?? null,
        provenance: entry?.provenance ?? null,
      };
    });
    return { ...group.row, cells };
  });
  return { extraColumns, columns, rows };
}

export function formatMetric(value: number | null): string {
  return value === null ? "-" : value.toFixed(1);
}

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** CSV with full-precision numbers (spreadsheets round for display; exports shouldn't lose digits). */
export function leaderboardToCsv(table: TLeaderboardTable): string {
  const header = ["Model", "Method", ...table.extraColumns, ...table.columns.map((column) => `${column.benchmark} ${column.metric.label}`)];
  const lines = [header.map(csvField).join(",")];
  for (const row of table.rows) {
    const extras = row.extras.map((value) => (value === null ? "" : String(value)));
    lines.push([row.baseModel, row.method, ...extras, ...row.cells.map((cell) => (cell.value === null ? "" : String(cell.value)))].map(csvField).join(","));
  }
  return `${lines.join("\n")}\n`;
}

const LATEX_SPECIALS: Record<string, string> = {
  "\\": "\\textbackslash{}",
  "&": "\\&",
  "%": "\\%",
  $: "\\$",
  "#": "\\#",
  _: "\\_",
  "{": "\\{",
  "}": "\\}",
  "~": "\\textasciitilde{}",
  "^": "\\textasciicircum{}",
};

export function escapeLatex(text: string): string {
  return text.replace(/[\\&%$#_{}~^]/g, (char) => LATEX_SPECIALS[char]!);
}

/** A booktabs tabular: one column group per benchmark, best value per column in bold (as the paper's tables). */
export function leaderboardToLatex(table: TLeaderboardTable, options: { caption?: string } = {}): string {
  const groups: { benchmark: string; span: number }[] = [];
  for (const column of table.columns) {
    const last = groups.at(-1);
    if (last && last.benchmark === column.benchmark) last.span += 1;
    else groups.push({ benchmark: column.benchmark, span: 1 });
  }
  const lines: string[] = [];
  if (options.caption) lines.push(`% ${options.caption.replace(/\n/g, " ")}`);
  const extraCount = table.extraColumns.length;
  lines.push(`\\begin{tabular}{ll${"r".repeat(extraCount)}${groups.map((group) => "r".repeat(group.span)).join("")}}`);
  lines.push("\\toprule");
  lines.push(
    ["Model", "Method", ...table.extraColumns.map(escapeLatex), ...groups.map((group) => `\\multicolumn{${group.span}}{c}{${escapeLatex(group.benchmark)}}`)].join(" & ") + " \\\\",
  );
  let start = 3 + extraCount;
  const rules = groups.map((group) => {
    const rule = `\\cmidrule(lr){${start}-${start + group.span - 1}}`;
    start += group.span;
    return rule;
  });
  if (rules.length > 0) lines.push(rules.join(" "));
  lines.push(["", "", ...table.extraColumns.map(() => ""), ...table.columns.map((column) => escapeLatex(column.metric.label))].join(" & ") + " \\\\");
  lines.push("\\midrule");
  for (const row of table.rows) {
    const cells = row.cells.map((cell) => (cell.isBest ? `\\textbf{${formatMetric(cell.value)}}` : formatMetric(cell.value)));
    lines.push([escapeLatex(row.baseModel), escapeLatex(row.method), ...row.extras.map(formatMetric), ...cells].join(" & ") + " \\\\");
  }
  lines.push("\\bottomrule");
  lines.push("\\end{tabular}");
  return `${lines.join("\n")}\n`;
}
