import { z } from "zod";

/**
 * Stable error codes shared by REST responses and socket acks. Clients switch on these, so a code is
 * never renamed or reused; add new ones at the end.
 */
export const errorCodes = [
  "VALIDATION_FAILED",
  "UNKNOWN_EVENT",
  "NOT_JOINED",
  "ALREADY_JOINED",
  "TRANSPORT_NOT_FOUND",
  "PRODUCER_NOT_FOUND",
  "CONSUMER_NOT_FOUND",
  "CANNOT_CONSUME",
  "MEDIA_REJECTED",
  "ROOM_CLOSED",
  "RATE_LIMITED",
  "NOT_FOUND",
  "INTERNAL",
  "UNAUTHENTICATED",
  "INVALID_CREDENTIALS",
  "FORBIDDEN",
  "CONFLICT",
  "PAYLOAD_TOO_LARGE",
  "INVALID_TRANSITION",
  "DEADLINE_RULE",
  "UNSUPPORTED_FILE",
  "MUTED_BY_CHAIR",
  "ROOM_LOCKED",
  "NOT_INVITED",
  "SCREEN_SHARE_NOT_ALLOWED",
  "SCREEN_SHARE_IN_USE",
  "RECORDING_ACTIVE",
  "NOT_RECORDING",
  "RECORDING_DISK_FULL",
  "SLOT_FULL",
  "SLOT_CLOSED",
  "BOOKING_LIMIT",
  "BOOKING_NOT_CANCELLABLE",
  "BOOKING_CANCELLED",
  "JOIN_LINK_INVALID",
  "JOIN_LINK_USED",
  "JOIN_LINK_EXPIRED",
  "JOIN_LINK_NOT_YET",
  "ENTRY_CONFIRMED",
  "SESSION_ENDED",
  "CONSENT_REQUIRED",
  "RECORDING_NOT_ALLOWED",
  "RECORDING_KIND_UNDECLARED",
  "NOT_ADMITTED",
  "GUEST_ALREADY_ADMITTED",
  "RECEPTION_NOT_OPEN",
  "ROLE_GRANT_REFUSED",
  "PASSWORD_RESET_REFUSED",
  "UPLOAD_QUOTA_EXCEEDED",
  "EXPORT_TOO_LARGE",
  "DIALOGUE_REQUIRED",
  "DENOUNCER_NOTICE_REQUIRED",
  "FILING_LIMIT_PASSED",
  "CERTIFICATE_INVALID",
  "CERTIFICATE_PASSWORD_WRONG",
  "CERTIFICATE_EXPIRED",
  "CERTIFICATE_NOT_YET_VALID",
  "SIGNING_UNAVAILABLE",
  "MAIL_NOT_CONFIGURED",
] as const;

export const errorCodeSchema = z.enum(errorCodes);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

export const errorBodySchema = z.object({
  code: errorCodeSchema,
  message: z.string(),
  /** Field-level problems for VALIDATION_FAILED, as dotted paths. */
  details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

export const locales = ["vi", "en"] as const;
export const localeSchema = z.enum(locales);
export type Locale = z.infer<typeof localeSchema>;
