// The one wrapper every API route handler goes through: cross-site request check for mutations, session lookup,
// permission check on the server, zod-validated input, and errors turned into JSON with a status that names the problem.
// Route files stay thin: `export const POST = route({ permission: "kb:edit", body: ZInput }, async ({ body, user }) => ...)`.
import { z, ZodError } from "zod";
import { readCookie } from "../auth/cookies";
import { hasPermission, type TPermission } from "../auth/roles";
import { SESSION_COOKIE, validateSessionToken, type SessionUser } from "../auth/sessions";
import { getDb, type Db } from "../db/client";

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

type Access = TPermission | "public" | "signed-in";

type RouteContext<TBody, TQuery> = {
  request: Request;
  db: Db;
  user: SessionUser;
  body: TBody;
  query: TQuery;
  params: Record<string, string>;
};

type PublicRouteContext<TBody, TQuery> = Omit<RouteContext<TBody, TQuery>, "user"> & { user: SessionUser | null };

type RouteOptions<TBodySchema extends z.ZodType | undefined, TQuerySchema extends z.ZodType | undefined> = {
  access: Access;
  body?: TBodySchema;
  query?: TQuerySchema;
  /** Validates (and strips) what the handler returns, so nothing undeclared reaches the browser. */
  output?: z.ZodType;
};

type Infer<T> = T extends z.ZodType ? z.infer<T> : undefined;

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Browsers send Origin on every cross-site POST/PATCH/DELETE (and Sec-Fetch-Site on all requests), so a mutation is
 * accepted only when one of them proves it came from our own pages. Non-browser clients (CLI, scripts) use the CLI,
 * not cookies, so refusing requests with neither header costs nothing.
 */
export function checkSameOrigin(request: Request): string | null {
  if (SAFE_METHODS.has(request.method)) return null;
  const origin = request.headers.get("origin");
  const fetchSite = request.headers.get("sec-fetch-site");
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host") ?? new URL(request.url).host;
  if (origin) {
    let originHost: string;
    try {
      originHost = new URL(origin).host;
    } catch {
      return `cross-site request blocked: malformed Origin "${origin}"`;
    }
    return originHost === host ? null : `cross-site request blocked: Origin ${origin} does not match host ${host}`;
  }
  if (fetchSite) return fetchSite === "same-origin" ? null : `cross-site request blocked: Sec-Fetch-Site is ${fetchSite}`;
  return "cross-site request blocked: mutations need an Origin header";
}

export function jsonError(status: number, message: string, details?: unknown): Response {
  return Response.json({ error: message, ...(details === undefined ? {} : { details }) }, { status });
}

function zodDetails(error: ZodError) {
  return error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message }));
}

function describeZodError(where: string, error: ZodError): string {
  return `invalid ${where}: ${error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`).join("; ")}`;
}

export function route<TBodySchema extends z.ZodType | undefined = undefined, TQuerySchema extends z.ZodType | undefined = undefined>(
  options: RouteOptions<TBodySchema, TQuerySchema> & { access: "public" },
  handler: (context: PublicRouteContext<Infer<TBodySchema>, Infer<TQuerySchema>>) => Promise<Response | unknown>,
): (request: Request, context?: { params?: Promise<Record<string, string>> }) => Promise<Response>;
export function route<TBodySchema extends z.ZodType | undefined = undefined, TQuerySchema extends z.ZodType | undefined = undefined>(
  options: RouteOptions<TBodySchema, TQuerySchema>,
  handler: (context: RouteContext<Infer<TBodySchema>, Infer<TQuerySchema>>) => Promise<Response | unknown>,
): (request: Request, context?: { params?: Promise<Record<string, string>> }) => Promise<Response>;
export function route(
  options: RouteOptions<z.ZodType | undefined, z.ZodType | undefined>,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the overloads above carry the precise types
  handler: (context: any) => Promise<Response | unknown>,
) {
  return async (request: Request, context?: { params?: Promise<Record<string, string>> }): Promise<Response> => {
    try {
      const crossSite = checkSameOrigin(request);
      if (crossSite) return jsonError(403, crossSite);

      const db = getDb();
      const session = await validateSessionToken(db, readCookie(request.headers.get("cookie"), SESSION_COOKIE));
      const user = session?.user ?? null;
      if (options.access !== "public") {
        if (!user) return jsonError(401, "sign in required");
        if (options.access !== "signed-in" && !hasPermission(user.role, options.access)) {
          return jsonError(403, `forbidden: your role (${user.role.toLowerCase()}) may not ${options.access}`);
        }
      }

      let query: unknown = undefined;
      if (options.query) {
        const raw = Object.fromEntries(new URL(request.url).searchParams.entries());
        const parsed = options.query.safeParse(raw);
        if (!parsed.success) return jsonError(400, describeZodError("query", parsed.error), zodDetails(parsed.error));
        query = parsed.data;
      }
      let body: unknown = undefined;
      if (options.body) {
        let raw: unknown;
        try {
          raw = await request.json();
        } catch {
          return jsonError(400, "invalid body: expected a JSON object");
        }
        const parsed = options.body.safeParse(raw);
        if (!parsed.success) return jsonError(400, describeZodError("body", parsed.error), zodDetails(parsed.error));
        body = parsed.data;
      }
      const params = (await context?.params) ?? {};
      const result = await handler({ request, db, user, body, query, params });
      if (result instanceof Response) return result;
      if (!options.output) return Response.json(result ?? { ok: true });
      const checked = options.output.safeParse(result);
      if (!checked.success) {
        // A response that breaks its own schema is our bug, not the caller's: log it and answer 500.
        console.error(`[api] ${request.method} ${new URL(request.url).pathname} returned data outside its schema`, checked.error.issues);
        return jsonError(500, "internal error: response failed validation");
      }
      return Response.json(checked.data);
    } catch (error) {
      if (error instanceof HttpError) return jsonError(error.status, error.message, error.details);
      if (error instanceof ZodError) return jsonError(400, describeZodError("input", error), zodDetails(error));
      const status = (error as { status?: unknown }).status;
      if (typeof status === "number" && status >= 400 && status < 500) return jsonError(status, (error as Error).message);
      console.error(`[api] ${request.method} ${new URL(request.url).pathname} failed:`, error);
      return jsonError(500, "internal error");
    }
  };
}
