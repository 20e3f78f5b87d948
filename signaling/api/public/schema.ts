export { publicLookupRequestSchema, publicLookupResponseSchema } from "../../protocol";
