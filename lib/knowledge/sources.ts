// Knowledge-base sources and formats: zod only, so browser components can import them without the CSV parser.
import { z } from "zod";

export const KB_SOURCES = ["CWE", "CODEQL", "BANDIT", "CUSTOM"] as const;
export const ZKbSource = z.enum(KB_SOURCES);
export type TKbSource = z.infer<typeof ZKbSource>;

export const KB_FORMATS = ["disco", "mitre"] as const;
export const ZKbFormat = z.enum(KB_FORMATS);
export type TKbFormat = z.infer<typeof ZKbFormat>;
