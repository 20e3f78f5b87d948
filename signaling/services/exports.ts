import { AppError } from "../errors";

/** The most rows a list export writes; a larger one is refused so the caller narrows the filters. */
export const EXPORT_MAX_ROWS = 5000;

/**
 * What an export's audit row keeps of the list's parameters: every filter, and whether a search text was
 * given but not the text (often a name or a CCCD; the audit table holds no ID numbers).
 */
export function auditedFilters(query: { q?: string | undefined }): Record<string, unknown> {
  const { q, ...filters } = query;
  return { filters, searched: q !== undefined && q !== "" };
}

/** The largest page a list serves (route.ts paginationQuerySchema). */
const PAGE_SIZE = 200;

/**
 * Every row of a paged list, by asking it page after page: an export shows exactly what the list shows
 * (the same service method, the same authorization and masking). Refused with EXPORT_TOO_LARGE above `max`.
 */
export async function collectPages<T>(max: number, fetchPage: (page: { page: number; pageSize: number }) => Promise<{ items: T[]; total: number }>): Promise<T[]> {
  const first = await fetchPage({ page: 1, pageSize: PAGE_SIZE });
  if (first.total > max) throw new AppError("EXPORT_TOO_LARGE", { detail: `${first.total} rows, at most ${max}` });
  const rows = [...first.items];
  for (let page = 2; rows.length < first.total && first.items.length === PAGE_SIZE; page++) {
    const next = await fetchPage({ page, pageSize: PAGE_SIZE });
    rows.push(...next.items);
    if (next.items.length < PAGE_SIZE) break;
  }
  return rows;
}
