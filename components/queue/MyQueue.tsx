import Link from "next/link";
import type { getMyQueue } from "@/lib/reviews/my-queue";

/** The signed-in user's pairs to review: assigned ones first, then open unassigned ones. Others' verdicts never show here. */
export function MyQueue({ queue }: { queue: Awaited<ReturnType<typeof getMyQueue>> }) {
  const { progress, items } = queue;
  return (
    <>
      <h1>My review queue</h1>
      <div className="grid" data-testid="queue-progress">
        <div className="panel">
          <div className="stat">{items.length}</div>
          <div className="muted">pairs waiting for my decision{items.length >= 100 ? " (first 100 shown)" : ""}</div>
        </div>
        <div className="panel">
          <div className="stat">
            {progress.assignedDecided} / {progress.assignedTotal}
          </div>
          <div className="muted">assigned pairs decided</div>
        </div>
        <div className="panel">
          <div className="stat">{progress.decided}</div>
          <div className="muted">decisions made in total</div>
        </div>
      </div>
      <h2>To review</h2>
      <table className="data" data-testid="queue-table">
        <thead>
          <tr>
            <th>Instruction</th>
            <th>CWE</th>
            <th>Dataset</th>
            <th>Reviews so far</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.id}>
              <td>
                <Link href={`/pairs/${item.id}`}>{item.instruction.length > 140 ? `${item.instruction.slice(0, 140)}…` : item.instruction}</Link>
              </td>
              <td>{item.cweId ?? "-"}</td>
              <td>{item.datasetName}</td>
              <td>
                {item.reviews} of {item.reviewsRequired}
              </td>
              <td>{item.assigned && <span className="badge">assigned to me</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {items.length === 0 && <p className="muted">Nothing waiting for you. </p>}
    </>
  );
}
