export { publicLookupRequestSchema, publicLookupResponseSchema, publicSubmissionRequestSchema, publicSubmissionResponseSchema, publicUnitSchema } from "../../protocol";
