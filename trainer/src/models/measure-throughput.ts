// Forward + backward throughput on this machine, for the report and for comparing attention layouts:
//   npx tsx trainer/src/models/measure-throughput.ts [tiny|d256] [batch=4] [split|batched] [steps=3] [backend=wasm]
// "tiny" is the built-in tiny model (created under the OS temp folder); "d256" is a llama with d 256, 4 layers,
// 4 heads, FFN 688 and the tiny model's 2,048-token vocabulary. Sequences are 256 tokens.
import os from "node:os";
import path from "node:path";
import type { TAttentionLayout } from "../nn/attention";
import { initBackend } from "../tf";
import type { TBackendName } from "../backends";
import { buildCausalLM, loadCausalLM } from "./load";
import { randomCheckpoint } from "./reference-forward";
import { measureTrainThroughput } from "./throughput";
import { ensureTinyModel } from "./tiny";

async function main(): Promise<void> {
  const [which = "tiny", batchArg = "4", layoutArg = "split", stepsArg = "3", backendArg = "wasm"] = process.argv.slice(2);
  if (which !== "tiny" && which !== "d256") throw new Error(`unknown model "${which}" (tiny or d256)`);
  if (layoutArg !== "split" && layoutArg !== "batched") throw new Error(`unknown layout "${layoutArg}" (split or batched)`);
  const backend = await initBackend(backendArg as TBackendName);
  const layout = layoutArg as TAttentionLayout;
  const model =
    which === "tiny"
      ? loadCausalLM(ensureTinyModel(path.join(os.tmpdir(), "disco-tiny-llama")), { attentionLayout: layout })
      : (() => {
          const config = { model_type: "llama", vocab_size: 2048, hidden_size: 256, intermediate_size: 688, num_hidden_layers: 4, num_attention_heads: 4, max_position_embeddings: 2048 };
          return buildCausalLM(config, randomCheckpoint(config, 1, 0.02), { attentionLayout: layout });
        })();
  const result = measureTrainThroughput(model, { batch: Number(batchArg), seq: 256, steps: Number(stepsArg) });
  console.log(JSON.stringify({ model: which, layout, ...result, backend }));
  model.dispose();
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
