import { z } from "zod";
import { errorBodySchema } from "../protocol";
import type { AnyRoute } from "./route";

type JsonSchema = Record<string, unknown>;

/** Request shapes are documented as clients send them; transforms (trim, dedupe) do not change the type. */
const requestSchema = (schema: z.ZodType): JsonSchema => z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
const responseSchema = (schema: z.ZodType): JsonSchema => z.toJSONSchema(schema, { io: "output", unrepresentable: "any" }) as JsonSchema;

function parametersOf(schema: z.ZodType | undefined, location: "path" | "query") {
  if (!schema) return [];
  const json = requestSchema(schema) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: location,
    required: location === "path" || (json.required ?? []).includes(name),
    schema: property,
  }));
}

/** OpenAPI 3.1 document built from the same zod schemas that validate requests, so it cannot drift. */
export function buildOpenApi(routes: readonly AnyRoute[], version: string): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = `/api${route.path.replace(/:(\w+)/g, "{$1}")}`;
    const status = String(route.status ?? 200);
    paths[path] ??= {};
    paths[path][route.method] = {
      operationId: route.id,
      summary: route.summary,
      tags: [route.id.split(".")[0]],
      ...(route.auth === "user" ? { security: [{ bearer: [] }] } : {}),
      parameters: [...parametersOf(route.params, "path"), ...parametersOf(route.query, "query")],
      ...(route.rawBody
        ? { requestBody: { required: true, content: { "application/octet-stream": { schema: { type: "string", format: "binary" } } } } }
        : route.body
          ? { requestBody: { required: true, content: { "application/json": { schema: requestSchema(route.body) } } } }
          : {}),
      responses: {
        [status]: { description: "OK", content: { "application/json": { schema: responseSchema(route.response) } } },
        default: { description: "Error with a stable code", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: { title: "Cầu Nối API", version, description: "REST API of Cầu Nối. Errors: { error: { code, message } }, messages in vi or en by Accept-Language." },
    paths,
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
      schemas: { Error: responseSchema(z.object({ error: errorBodySchema })) },
    },
  };
}
