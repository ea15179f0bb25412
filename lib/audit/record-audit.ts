// The audit log: every decision, edit and administrative change is written here with who did it.
import type { Db } from "../db/client";

export type AuditEntry = {
  actorId: string | null;
  action: string; // "<entity>.<verb>", e.g. "user.create", "pair.review"
  entityType: string;
  entityId?: string | null;
  detail?: Record<string, unknown>;
};

type AuditWriter = Pick<Db, "auditLog">;

export async function recordAudit(db: AuditWriter, entry: AuditEntry): Promise<void> {
  await db.auditLog.create({
    data: {
      actorId: entry.actorId,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId ?? null,
      detail: (entry.detail ?? {}) as object,
    },
  });
}
