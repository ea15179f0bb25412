import type { TDatasetAgreement } from "@/lib/reviews/dataset-agreement";

export function AgreementPanel({ agreement }: { agreement: TDatasetAgreement }) {
  const { progress } = agreement;
  const kappa = agreement.agreement?.kappa;
  return (
    <>
      <h2>Review progress and agreement</h2>
      <div className="grid" data-testid="agreement">
        <div className="panel">
          <div className="stat">
            {progress.decided} / {progress.required}
          </div>
          <div className="muted">
            reviews done ({agreement.reviewsRequired} per pair); {progress.completePairs} of {progress.pairs} pairs complete
          </div>
        </div>
        <div className="panel">
          <div className="stat">{kappa === undefined || kappa === null ? "n/a" : kappa.toFixed(3)}</div>
          <div className="muted">
            {agreement.method === "cohen" ? "Cohen's kappa" : agreement.method === "fleiss" ? "Fleiss' kappa" : "kappa"} over {agreement.ratedPairs} pairs with 2+ reviews,{" "}
            {agreement.raters} reviewers
            {agreement.agreement?.degenerate ? " (every decision the same: agreement beyond chance cannot be measured)" : ""}
          </div>
        </div>
      </div>
      {agreement.annotators.length > 0 && (
        <table className="data" style={{ marginTop: 12 }}>
          <thead>
            <tr>
              <th>Annotator</th>
              <th>Decided</th>
              <th>Assigned</th>
              <th>Assigned, still open</th>
            </tr>
          </thead>
          <tbody>
            {agreement.annotators.map((row) => (
              <tr key={row.userId}>
                <td>{row.name}</td>
                <td>{row.decided}</td>
                <td>{row.assigned}</td>
                <td>{row.assignedOpen}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
