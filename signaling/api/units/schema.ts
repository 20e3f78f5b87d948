export { createUnitRequestSchema, listUnitsQuerySchema, unitSchema, updateUnitRequestSchema } from "../../protocol";
