// Inter-annotator agreement, pure: Cohen's kappa for two raters, Fleiss' kappa for any number.
//
// Conventions (documented because the textbook formulas divide by zero at the edges):
// - No items, or an item with fewer than 2 ratings, cannot measure agreement: such items are ignored, and with no
//   usable item the result is null.
// - When every rating falls in one category, chance agreement is 1 and kappa is 0/0. We return kappa = null with
//   `degenerate: true` rather than 1 or 0: raters who never had a choice to disagree on tell us nothing about agreement.
//   Observed agreement (1) is still reported.

export type TKappaResult = {
  kappa: number | null;
  /** P_o (Cohen) or P-bar (Fleiss): the observed proportion of agreement. */
  observed: number;
  /** P_e (Cohen) or P-bar_e (Fleiss): the agreement expected by chance. */
  expected: number;
  items: number;
  degenerate: boolean;
};

function finish(observed: number, expected: number, items: number): TKappaResult {
  if (Math.abs(1 - expected) < 1e-12) return { kappa: null, observed, expected, items, degenerate: true };
  return { kappa: (observed - expected) / (1 - expected), observed, expected, items, degenerate: false };
}

/** Cohen's kappa over items rated by the same two raters: each element is [rater A's label, rater B's label]. */
export function cohenKappa<T extends string>(ratings: readonly (readonly [T, T])[]): TKappaResult | null {
  const n = ratings.length;
  if (n === 0) return null;
  const marginalA = new Map<T, number>();
  const marginalB = new Map<T, number>();
  let agree = 0;
  for (const [a, b] of ratings) {
    if (a === b) agree++;
    marginalA.set(a, (marginalA.get(a) ?? 0) + 1);
    marginalB.set(b, (marginalB.get(b) ?? 0) + 1);
  }
  let expected = 0;
  for (const [category, countA] of marginalA) expected += (countA / n) * ((marginalB.get(category) ?? 0) / n);
  return finish(agree / n, expected, n);
}

/**
 * Fleiss' kappa from an items x categories matrix of counts (how many raters put item i in category j).
 * Fleiss (1971) assumes every item has the same number of raters; rows here may differ (a pair reviewed by 2 and
 * another by 3), using the usual generalisation: P_i = sum_j n_ij(n_ij - 1) / (n_i(n_i - 1)), P-bar the mean of P_i,
 * p_j = (sum_i n_ij) / (sum_i n_i). With equal n_i it is exactly Fleiss' formula.
 */
export function fleissKappa(matrix: readonly (readonly number[])[]): TKappaResult | null {
  const rows = matrix.filter((row) => row.reduce((a, b) => a + b, 0) >= 2);
  if (rows.length === 0) return null;
  const categories = Math.max(...rows.map((row) => row.length));
  for (const row of rows) {
    if (row.some((count) => !Number.isInteger(count) || count < 0)) throw new Error("fleissKappa: counts must be non-negative integers");
  }
  const totals = new Array<number>(categories).fill(0);
  let ratings = 0;
  let sumP = 0;
  for (const row of rows) {
    const n = row.reduce((a, b) => a + b, 0);
    ratings += n;
    let agreeing = 0;
    row.forEach((count, j) => {
      totals[j]! += count;
      agreeing += count * (count - 1);
    });
    sumP += agreeing / (n * (n - 1));
  }
  const observed = sumP / rows.length;
  const expected = totals.reduce((sum, total) => sum + (total / ratings) ** 2, 0);
  return finish(observed, expected, rows.length);
}
