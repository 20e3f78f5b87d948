import { z } from "zod";
import { calendarDaySchema } from "./dates";

/**
 * The parameters every list shares (docs/list-endpoints.md): a search text and a whitelisted sort field
 * with a direction. A parameter sent empty (`?q=&sort=`, as a cleared form field in the URL) counts as
 * absent: written as a union with "" (not a preprocess) so the OpenAPI document, generated from the
 * request side of these schemas, still shows the allowed values.
 */
const optionalParam = <T extends z.ZodType<string>>(schema: T) =>
  z
    .union([z.literal(""), schema])
    .transform((value) => (value === "" ? undefined : value))
    .optional();

export const searchTextSchema = z
  .string()
  .trim()
  .max(100)
  .transform((value) => (value === "" ? undefined : value))
  .optional();

export const sortDirections = ["asc", "desc"] as const;
export type SortDirection = (typeof sortDirections)[number];

/** `sort` (one of `fields`) and `dir`; the list says which direction each field defaults to. */
export function sortParams<const F extends readonly [string, ...string[]]>(fields: F) {
  return {
    sort: optionalParam(z.enum(fields)),
    dir: optionalParam(z.enum(sortDirections)),
  };
}

/** A calendar day in Vietnam, `YYYY-MM-DD`, that exists. */
export const listDateSchema = optionalParam(calendarDaySchema);

/** GET /api/meetings and its export. */
export const meetingStatuses = ["scheduled", "live", "ended", "cancelled"] as const;
export const listMeetingsQuerySchema = z.object({
  q: searchTextSchema,
  status: optionalParam(z.enum(meetingStatuses)),
  from: listDateSchema,
  to: listDateSchema,
  ...sortParams(["start", "title", "room"] as const),
});
export type ListMeetingsQuery = z.infer<typeof listMeetingsQuerySchema>;

export const unitSortFields = ["path", "name", "code", "kind"] as const;
export const userSortFields = ["unit", "username", "displayName", "createdAt"] as const;
export const meetingSortFields = ["start", "title", "room"] as const;
export const caseSortFields = ["due", "received", "code", "state"] as const;
export type CaseSortField = (typeof caseSortFields)[number];
export type MeetingSortField = (typeof meetingSortFields)[number];
export type UserSortField = (typeof userSortFields)[number];
export type UnitSortField = (typeof unitSortFields)[number];
