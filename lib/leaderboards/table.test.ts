import { describe, expect, it } from "vitest";
import { buildLeaderboard, escapeLatex, leaderboardToCsv, leaderboardToLatex, type TLeaderboardEntry } from "./table";

let counter = 0;
function entry(overrides: Partial<TLeaderboardEntry> & Pick<TLeaderboardEntry, "benchmark" | "method" | "metrics">): TLeaderboardEntry {
  counter += 1;
  return {
    evaluationId: `eval-${counter}`,
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, counter)),
    benchmarkKind: overrides.benchmark.startsWith("HumanEval") ? "UTILITY" : "SECURITY",
    baseModel: "tiny",
    runId: overrides.method === "Base" ? null : `run-${overrides.method}`,
    tags: [],
    provenance: { decoding: { temperature: 0.4 } },
    ...overrides,
  };
}

describe("leaderboard table", () => {
  const entries = [
    entry({ benchmark: "SecurityEval", method: "LPO", metrics: { ins: 20, i100: 25 } }),
    entry({ benchmark: "SecurityEval", method: "Base", metrics: { ins: 40, i100: 55.5 } }),
    entry({ benchmark: "SecurityEval", method: "SFT", metrics: { ins: 30, i100: 25 } }),
    entry({ benchmark: "HumanEval", method: "Base", metrics: { pass1: 12.5, pass5: 20 } }),
    entry({ benchmark: "HumanEval", method: "LPO", metrics: { pass1: 11, pass5: 21 } }),
  ];

  it("orders columns security first, rows by the paper's method order, and marks the best per column by its direction", () => {
    const table = buildLeaderboard(entries);
    expect(table.columns.map((column) => `${column.benchmark}/${column.metric.label}`)).toEqual([
      "SecurityEval/InS",
      "SecurityEval/I@100",
      "HumanEval/P@1",
      "HumanEval/P@5",
    ]);
    expect(table.rows.map((row) => row.method)).toEqual(["Base", "SFT", "LPO"]);
    const best = table.rows.map((row) => row.cells.map((cell) => cell.isBest));
    // InS lowest = LPO 20; I@100 lowest = tie SFT/LPO 25; P@1 highest = Base 12.5; P@5 highest = LPO 21.
    expect(best).toEqual([
      [false, false, true, false],
      [false, true, false, false],
      [true, true, false, true],
    ]);
  });

  it("computes deltas against the base model's Base row and leaves missing cells empty", () => {
    const table = buildLeaderboard(entries);
    const lpo = table.rows.find((row) => row.method === "LPO")!;
    expect(lpo.cells.map((cell) => cell.delta)).toEqual([-20, -30.5, -1.5, 1]);
    const sft = table.rows.find((row) => row.method === "SFT")!;
    expect(sft.cells[2]).toMatchObject({ value: null, delta: null, isBest: false, evaluationId: null });
    const base = table.rows.find((row) => row.method === "Base")!;
    expect(base.cells.every((cell) => cell.delta === null)).toBe(true);
  });

  it("keeps only the newest evaluation of a (row, benchmark)", () => {
    const newer = entry({ benchmark: "SecurityEval", method: "LPO", metrics: { ins: 10, i100: 12 }, createdAt: new Date(Date.UTC(2027, 0, 1)) });
    const table = buildLeaderboard([...entries, newer]);
    const lpo = table.rows.find((row) => row.method === "LPO")!;
    expect(lpo.cells[0]).toMatchObject({ value: 10, evaluationId: newer.evaluationId });
  });

  it("exports CSV with full precision and quotes fields that need it", () => {
    const table = buildLeaderboard([entry({ benchmark: "Security, Eval", method: "Base", baseModel: 'm"x', metrics: { ins: 33.333333, i100: 1 } })]);
    expect(leaderboardToCsv(table)).toBe('Model,Method,"Security, Eval InS","Security, Eval I@100"\n"m""x",Base,33.333333,1\n');
  });

  it("exports booktabs LaTeX with escaped names and the best values in bold", () => {
    const latex = leaderboardToLatex(buildLeaderboard(entries));
    expect(latex).toBe(
      [
        "\\begin{tabular}{llrrrr}",
        "\\toprule",
        "Model & Method & \\multicolumn{2}{c}{SecurityEval} & \\multicolumn{2}{c}{HumanEval} \\\\",
        "\\cmidrule(lr){3-4} \\cmidrule(lr){5-6}",
        " &  & InS & I@100 & P@1 & P@5 \\\\",
        "\\midrule",
        "tiny & Base & 40.0 & 55.5 & \\textbf{12.5} & 20.0 \\\\",
        "tiny & SFT & 30.0 & \\textbf{25.0} & - & - \\\\",
        "tiny & LPO & \\textbf{20.0} & \\textbf{25.0} & 11.0 & \\textbf{21.0} \\\\",
        "\\bottomrule",
        "\\end{tabular}",
        "",
      ].join("\n"),
    );
    expect(escapeLatex("a_b & 50% {x}")).toBe("a\\_b \\& 50\\% \\{x\\}");
  });
});
