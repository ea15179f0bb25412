// The model side of the trainer in one import: loading/saving checkpoints, the built-in tiny model, and the types.
export { ARCHITECTURES, type ICausalLM, type ILinear, type TArchitecture, type TKvCache, type TLoraWeights } from "./types";
export { buildCausalLM, loadCausalLM, readModelConfig, saveCausalLM, TOKENIZER_FILES, type TLoadOptions } from "./load";
export { CausalLM } from "./causal-lm";
export { planFromConfig, type TModelPlan } from "./architectures";
export { createTinyModel, ensureTinyModel, isTinyModelCurrent, TINY_EOS_TOKEN, TINY_PAD_TOKEN, TINY_SHAPE, tinyModelConfig } from "./tiny";
export { measureTrainThroughput, type TThroughput } from "./throughput";
