import { z } from "zod";
import { type LimiterStore, Throttle } from "../../auth/throttle";
import type { CaseService } from "../../services/cases/cases";
import type { UnitService } from "../../services/units/UnitService";
import { vietnamDateOf } from "../../domain/deadlines";
import { AppError } from "../../errors";
import { defineRoute } from "../route";
import { publicLookupRequestSchema, publicLookupResponseSchema, publicSubmissionRequestSchema, publicSubmissionResponseSchema, publicUnitSchema } from "./schema";

/** Wrong code/secret pairs per IP before lookups from it pause, so secrets cannot be guessed. */
const FAILED_LOOKUPS = { attempts: 10, windowSeconds: 15 * 60 };
/** Online submissions per IP per hour: enough for a family at one connection, not for a flood. */
const SUBMISSIONS = { attempts: 5, windowSeconds: 60 * 60 };

export function publicRoutes({ cases, units, limiters }: { cases: CaseService; units: UnitService; limiters: LimiterStore }) {
  const failures = new Throttle(limiters, "lookup.failures", FAILED_LOOKUPS);
  const submissions = new Throttle(limiters, "submissions", SUBMISSIONS);
  return [
    defineRoute({
      id: "public.units",
      method: "get",
      path: "/public/units",
      summary: "Active units a citizen may address a petition to (names only)",
      auth: "public",
      response: z.object({ items: z.array(publicUnitSchema) }),
      handler: async () => ({ items: await units.publicUnits() }),
    }),
    defineRoute({
      id: "public.submit",
      method: "post",
      path: "/public/cases",
      summary: "A citizen files a petition online; returns the case code and lookup code",
      auth: "public",
      body: publicSubmissionRequestSchema,
      response: publicSubmissionResponseSchema,
      status: 201,
      handler: async ({ body, meta }) => {
        await submissions.consume(meta.ip);
        return cases.submitPublic(
          {
            unitId: body.unitId,
            channel: "online",
            receivedDate: vietnamDateOf(new Date()),
            summary: body.summary,
            content: body.content,
            kind: body.kind,
            anonymous: false,
            parties: [{ role: "petitioner", name: body.name, phone: body.phone, address: body.address, ...(body.idNumber ? { idNumber: body.idNumber } : {}) }],
          },
          meta,
        );
      },
    }),
    defineRoute({
      id: "public.lookup",
      method: "post",
      path: "/public/lookup",
      summary: "A citizen looks up a petition by code and secret: state, deadline, published answer; no personal data",
      auth: "public",
      body: publicLookupRequestSchema,
      response: publicLookupResponseSchema,
      handler: async ({ body, meta }) => {
        // Counted before the lookup, given back only when the pair was right: parallel guesses all count.
        await failures.consume(meta.ip);
        try {
          const found = await cases.lookup(body.code, body.secret);
          await failures.refund(meta.ip);
          return found;
        } catch (error) {
          if (!(error instanceof AppError && error.code === "NOT_FOUND")) await failures.refund(meta.ip);
          throw error;
        }
      },
    }),
  ];
}
