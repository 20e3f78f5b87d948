export { unitCertificateResponseSchema, unitCertificateSchema, uploadCertificateRequestSchema } from "../../protocol";
