// LoRA settings as the training config spells them (config.lora), re-exported so lora/ needs no knowledge of the rest.
import type { TTrainConfig } from "../config";

export type TLoraConfig = TTrainConfig["lora"];
