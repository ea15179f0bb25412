// GET /api/health - database, migrations, queue, analyzers and trainer backends (no sign-in needed)
import { getHealth } from "@/lib/health/get-health";

export const dynamic = "force-dynamic";

export async function GET() {
  const health = await getHealth();
  return Response.json(health, { status: health.database.available ? 200 : 503 });
}
