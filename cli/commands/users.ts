// disco users create|list|set-role
import crypto from "node:crypto";
import type { Command } from "commander";
import { parseRole } from "../../lib/auth/roles";
import { createUser, listUsers, updateUser } from "../../lib/auth/users";
import { getDb } from "../../lib/db/client";
import { CliError, parseInput, printResult, table } from "../output";
import { withDatabase } from "../with-database";

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
}

export function registerUsersCommands(program: Command): void {
  const users = program.command("users").description("manage accounts");

  users
    .command("create")
    .description("create an account (prints a generated password unless --password or --password-stdin is given)")
    .requiredOption("--email <email>", "sign-in email")
    .requiredOption("--role <role>", "annotator | researcher | lead | admin")
    .option("--name <name>", "display name (default: the email's local part)")
    .option("--password <password>", "password (visible in shell history; prefer --password-stdin)")
    .option("--password-stdin", "read the password from standard input")
    .option("--json", "print JSON")
    .action(async (options: { email: string; role: string; name?: string; password?: string; passwordStdin?: boolean; json?: boolean }) => {
      const role = parseInput(() => parseRole(options.role));
      const generated = !options.password && !options.passwordStdin;
      const password = options.passwordStdin ? await readStdin() : (options.password ?? crypto.randomBytes(12).toString("base64url"));
      await withDatabase(async () => {
        const user = await createUser(getDb(), { email: options.email, role, name: options.name, password }, null).catch((error) => {
          throw new CliError(error.issues ? error.issues.map((issue: { message: string }) => issue.message).join("; ") : error.message);
        });
        printResult(options, { ...user, ...(generated ? { password } : {}) }, () =>
          [`created ${user.role.toLowerCase()} ${user.email} (${user.id})`, ...(generated ? [`password: ${password}`] : [])].join("\n"),
        );
      });
    });

  users
    .command("list")
    .description("list accounts")
    .option("--json", "print JSON")
    .action(async (options: { json?: boolean }) => {
      await withDatabase(async () => {
        const all = await listUsers(getDb());
        printResult(options, all, () =>
          table(
            all.map((user) => ({ ...user, role: user.role.toLowerCase(), disabled: user.disabledAt ? "yes" : "" })),
            ["email", "name", "role", "disabled", "id"],
          ),
        );
      });
    });

  users
    .command("set-role")
    .description("change an account's role")
    .requiredOption("--email <email>", "the account")
    .requiredOption("--role <role>", "annotator | researcher | lead | admin")
    .option("--json", "print JSON")
    .action(async (options: { email: string; role: string; json?: boolean }) => {
      const role = parseInput(() => parseRole(options.role));
      await withDatabase(async () => {
        const db = getDb();
        const found = await db.user.findUnique({ where: { email: options.email.trim().toLowerCase() }, select: { id: true } });
        if (!found) throw new CliError(`No user with email ${options.email}`);
        const user = await updateUser(db, found.id, { role }, null);
        printResult(options, user, () => `${user.email} is now ${user.role.toLowerCase()}`);
      });
    });
}
