-- CreateTable
CREATE TABLE "dataset_statistics" (
    "datasetId" UUID NOT NULL,
    "tokenizerId" TEXT NOT NULL,
    "statistics" JSONB NOT NULL,
    "computedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "dataset_statistics_pkey" PRIMARY KEY ("datasetId","tokenizerId")
);

-- AddForeignKey
ALTER TABLE "dataset_statistics" ADD CONSTRAINT "dataset_statistics_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "datasets"("id") ON DELETE CASCADE ON UPDATE CASCADE;
