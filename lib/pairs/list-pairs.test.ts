// The pair list query against the real test database: each filter, the sorts with their tie-break, pagination,
// text search (with LIKE wildcards taken literally) and next/previous in list order.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import crypto from "node:crypto";
import { getDb } from "../db/client";
import { findPairNeighbors, listPairs, listQueryToSearchParams, ZListPairsQuery } from "./list-pairs";
import { createTestDataset } from "./test-pairs";

const db = getDb();
const tag = crypto.randomBytes(4).toString("hex");
let dataset: Awaited<ReturnType<typeof createTestDataset>>;
const ids: Record<string, string> = {};

beforeAll(async () => {
  dataset = await createTestDataset(`list-test-${tag}`);
  const base = new Date("2026-01-01T00:00:00Z").getTime();
  const make = async (key: string, minutes: number, input: { cweId?: string; packageName?: string; source?: string; secureCode?: string; instruction?: string }) => {
    const pair = await dataset.pair({
      instruction: input.instruction ?? `Task ${key} ${tag}`,
      insecureCode: `x = "${key}"\n`,
      secureCode: input.secureCode ?? `y = "${key}"\n`,
      cweId: input.cweId ?? null,
      packageName: input.packageName ?? null,
      source: input.source ?? "test",
      createdAt: new Date(base + minutes * 60_000),
    });
    ids[key] = pair.id;
  };
  await make("a", 1, { cweId: "CWE-78", packageName: "subprocess" });
  await make("b", 2, { cweId: "CWE-89", packageName: "sqlite3", source: "import" });
  await make("c", 3, { cweId: "CWE-78", secureCode: `z = "100%_done"\n` });
  await make("d", 4, {});
  await db.pair.update({ where: { id: ids.a! }, data: { secureFlagged: true, status: "ACCEPTED" } });
  await db.pair.update({ where: { id: ids.b! }, data: { secureFlagged: false, secureParseError: "line 1: invalid syntax" } });
});
afterAll(() => dataset.remove());

const list = async (query: Record<string, unknown>) => (await listPairs(db, { dataset: dataset.id, ...query })).rows.map((row) => row.id);

describe("listPairs", () => {
  it("sorts newest first by default and pages without overlap", async () => {
    expect(await list({})).toEqual([ids.d, ids.c, ids.b, ids.a]);
    expect(await list({ dir: "asc" })).toEqual([ids.a, ids.b, ids.c, ids.d]);
    const first = await listPairs(db, { dataset: dataset.id, pageSize: 3 });
    const second = await listPairs(db, { dataset: dataset.id, pageSize: 3, page: 2 });
    expect(first.total).toBe(4);
    expect([...first.rows, ...second.rows].map((row) => row.id)).toEqual([ids.d, ids.c, ids.b, ids.a]);
  });

  it("sorts by CWE (missing CWEs last) and by status", async () => {
    expect(await list({ sort: "cwe", dir: "asc" })).toEqual([ids.c, ids.a, ids.b, ids.d]);
    // Enum order (the workflow's order): UNREVIEWED < IN_REVIEW < ACCEPTED < REJECTED < CONFLICT.
    expect(await list({ sort: "status", dir: "asc" })).toEqual([ids.d, ids.c, ids.b, ids.a]);
    expect((await list({ sort: "status", dir: "desc" }))[0]).toBe(ids.a);
  });

  it("filters by CWE (with or without the prefix), package, source, status, flagged and parse errors", async () => {
    expect(await list({ cwe: "CWE-78" })).toEqual([ids.c, ids.a]);
    expect(await list({ cwe: "89" })).toEqual([ids.b]);
    expect(await list({ package: "subprocess" })).toEqual([ids.a]);
    expect(await list({ source: "import" })).toEqual([ids.b]);
    expect(await list({ status: "ACCEPTED" })).toEqual([ids.a]);
    expect(await list({ flagged: "yes" })).toEqual([ids.a]);
    expect(await list({ flagged: "no" })).toEqual([ids.b]);
    expect(await list({ parseErrors: "yes" })).toEqual([ids.b]);
    expect(await list({ parseErrors: "no" })).toEqual([ids.d, ids.c, ids.a]);
    expect(await list({ cwe: "CWE-78", flagged: "yes" })).toEqual([ids.a]);
  });

  it("searches instruction and both codes case-insensitively, taking % and _ literally", async () => {
    expect(await list({ q: `TASK B ${tag.toUpperCase()}` })).toEqual([ids.b]);
    expect(await list({ q: `x = "d"` })).toEqual([ids.d]);
    expect(await list({ q: "100%_done" })).toEqual([ids.c]);
    expect(await list({ q: "%" })).toEqual([ids.c]);
  });

  it("rejects a bad filter with a message naming it", () => {
    const parsed = ZListPairsQuery.safeParse({ status: "MAYBE" });
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues[0]!.path).toEqual(["status"]);
  });
});

describe("findPairNeighbors", () => {
  it("gives previous and next in the list's order and filter", async () => {
    expect(await findPairNeighbors(db, { dataset: dataset.id }, ids.c!)).toEqual({ previous: ids.d, next: ids.b, position: 2, total: 4 });
    expect(await findPairNeighbors(db, { dataset: dataset.id, cwe: "CWE-78" }, ids.c!)).toEqual({ previous: null, next: ids.a, position: 1, total: 2 });
    expect((await findPairNeighbors(db, { dataset: dataset.id, cwe: "CWE-89" }, ids.c!)).position).toBeNull();
  });

  it("round-trips the filter through URL parameters", () => {
    const filter = ZListPairsQuery.parse({ cwe: "CWE-78", flagged: "yes", q: "a b", page: "3" });
    const params = listQueryToSearchParams(filter);
    expect(ZListPairsQuery.parse(Object.fromEntries(params.entries()))).toEqual({ ...filter, page: 1 });
  });
});

describe("findPairNeighbors agrees with the list in every order", () => {
  it.each([
    { sort: "created", dir: "desc" },
    { sort: "created", dir: "asc" },
    { sort: "cwe", dir: "asc" },
    { sort: "cwe", dir: "desc" },
    { sort: "status", dir: "asc" },
    { sort: "status", dir: "desc" },
  ] as const)("sort $sort $dir", async (order) => {
    const listed = await list(order);
    for (const [index, id] of listed.entries()) {
      expect(await findPairNeighbors(db, { dataset: dataset.id, ...order }, id!)).toEqual({
        previous: listed[index - 1] ?? null,
        next: listed[index + 1] ?? null,
        position: index + 1,
        total: listed.length,
      });
    }
  });
});

describe("capped counts", () => {
  it("reports an exact total below the cap and says when it is exact", async () => {
    const result = await listPairs(db, { dataset: dataset.id, q: tag });
    expect(result).toMatchObject({ total: 4, totalIsCapped: false });
  });
});
