import { z } from "zod";

export { createUnitRequestSchema, unitSchema, updateUnitRequestSchema } from "../../protocol";
export const listUnitsQuerySchema = z.object({ includeInactive: z.enum(["true", "false"]).optional() });
