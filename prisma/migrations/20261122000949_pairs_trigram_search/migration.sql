-- Hand-written: the trigram operator class the indexes below use.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- CreateIndex
CREATE INDEX "pairs_instruction_trgm_idx" ON "pairs" USING GIN ("instruction" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "pairs_insecurecode_trgm_idx" ON "pairs" USING GIN ("insecureCode" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "pairs_securecode_trgm_idx" ON "pairs" USING GIN ("secureCode" gin_trgm_ops);
