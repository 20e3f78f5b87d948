import { z } from "zod";
import type { CertificateService } from "../../services/certificates/CertificateService";
import { defineRoute, idParamsSchema, okSchema } from "../route";
import { unitCertificateResponseSchema, unitCertificateSchema, uploadCertificateRequestSchema } from "./schema";

/** A unit's signing certificate (admins over the unit): details, upload or replace, remove. */
export function certificateRoutes({ certificates }: { certificates: CertificateService }) {
  return [
    defineRoute({
      id: "certificates.read",
      method: "get",
      path: "/units/:id/certificate",
      summary: "The unit's signing certificate: subject, issuer, validity and whether it is usable (never its password)",
      auth: "user",
      params: idParamsSchema,
      response: unitCertificateResponseSchema,
      handler: ({ actor, params }) => certificates.read(actor, params.id),
    }),
    defineRoute({
      id: "certificates.upload",
      method: "post",
      path: "/units/:id/certificate",
      summary: "Upload or replace the unit's signing certificate: a PKCS#12 (.p12/.pfx) as base64 and its password, checked before it is kept",
      auth: "user",
      params: idParamsSchema,
      body: uploadCertificateRequestSchema,
      response: z.object({ certificate: unitCertificateSchema }),
      handler: ({ actor, params, body, meta }) => certificates.upload(actor, params.id, body, meta),
    }),
    defineRoute({
      id: "certificates.remove",
      method: "delete",
      path: "/units/:id/certificate",
      summary: "Remove the unit's signing certificate; its documents are issued unsigned from then on",
      auth: "user",
      params: idParamsSchema,
      response: okSchema,
      handler: ({ actor, params, meta }) => certificates.remove(actor, params.id, meta),
    }),
  ];
}
