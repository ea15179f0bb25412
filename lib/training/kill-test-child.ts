// Test helper process for the kill-and-resume test: trains one run as a worker would, until the test kills it with
// SIGKILL. Usage: tsx lib/training/kill-test-child.ts <runId> (DATABASE_URL and DISCO_DATA_DIR from the environment).
import { getDb } from "../db/client";
import { runTrainJob } from "./run-job";

const runId = process.argv[2];
if (!runId) throw new Error("usage: kill-test-child.ts <runId>");
await runTrainJob({ runId }, { db: getDb(), reportProgress: async () => {} });
process.stdout.write("finished\n");
process.exit(0);
