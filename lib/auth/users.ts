// User accounts: creation, listing and role changes. Callers check permissions; this module enforces data rules.
import { z } from "zod";
import { recordAudit } from "../audit/record-audit";
import type { Db } from "../db/client";
import { hashPassword, MIN_PASSWORD_LENGTH } from "./password";
import { ZRole } from "./roles";
import { invalidateUserSessions } from "./sessions";

export const ZEmail = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: "must be a valid email address" }));

export const ZCreateUserInput = z.object({
  email: ZEmail,
  name: z.string().trim().min(1, "name must not be empty").max(200).optional(),
  role: ZRole,
  password: z.string().min(MIN_PASSWORD_LENGTH, `password must be at least ${MIN_PASSWORD_LENGTH} characters`).max(500),
});
export type TCreateUserInput = z.input<typeof ZCreateUserInput>;

export const ZUpdateUserInput = z
  .object({
    role: ZRole.optional(),
    name: z.string().trim().min(1).max(200).optional(),
    disabled: z.boolean().optional(),
  })
  .refine((value) => Object.keys(value).length > 0, { message: "nothing to update" });
export type TUpdateUserInput = z.input<typeof ZUpdateUserInput>;

export const ZPublicUser = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: ZRole,
  disabledAt: z.date().nullable(),
  createdAt: z.date(),
});
export type TPublicUser = z.infer<typeof ZPublicUser>;

const publicUserSelect = { id: true, email: true, name: true, role: true, disabledAt: true, createdAt: true } as const;

export class UserInputError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 404 | 409 = 400,
  ) {
    super(message);
  }
}

export async function createUser(db: Db, input: TCreateUserInput, actorId: string | null): Promise<TPublicUser> {
  const parsed = ZCreateUserInput.parse(input);
  const existing = await db.user.findUnique({ where: { email: parsed.email }, select: { id: true } });
  if (existing) throw new UserInputError(`A user with email ${parsed.email} already exists`, 409);
  const passwordHash = await hashPassword(parsed.password);
  const user = await db.user.create({
    data: { email: parsed.email, name: parsed.name ?? parsed.email.split("@")[0]!, role: parsed.role, passwordHash },
    select: publicUserSelect,
  });
  await recordAudit(db, { actorId, action: "user.create", entityType: "user", entityId: user.id, detail: { email: user.email, role: user.role } });
  return user;
}

export async function listUsers(db: Db): Promise<TPublicUser[]> {
  return db.user.findMany({ select: publicUserSelect, orderBy: { createdAt: "asc" } });
}

export async function updateUser(db: Db, userId: string, input: TUpdateUserInput, actorId: string | null): Promise<TPublicUser> {
  const parsed = ZUpdateUserInput.parse(input);
  const before = await db.user.findUnique({ where: { id: userId }, select: publicUserSelect });
  if (!before) throw new UserInputError(`No user with id ${userId}`, 404);
  if (actorId === userId && (parsed.disabled || (parsed.role && parsed.role !== "ADMIN"))) {
    throw new UserInputError("Admins cannot disable themselves or remove their own admin role", 400);
  }
  const user = await db.user.update({
    where: { id: userId },
    data: {
      role: parsed.role,
      name: parsed.name,
      disabledAt: parsed.disabled === undefined ? undefined : parsed.disabled ? new Date() : null,
    },
    select: publicUserSelect,
  });
  if (parsed.disabled) await invalidateUserSessions(db, userId);
  await recordAudit(db, {
    actorId,
    action: "user.update",
    entityType: "user",
    entityId: userId,
    detail: { before: { role: before.role, name: before.name, disabled: !!before.disabledAt }, change: parsed },
  });
  return user;
}
