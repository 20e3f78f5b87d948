/** Reporting periods of TT 06/2025/TT-TTCP: a quarter, six months, nine months, a year. */
export interface ReportPeriod {
  /** e.g. "2026-Q1", "2026-H1", "2026-9M", "2026" */
  id: string;
  from: string;
  to: string;
  /** Vietnamese label for report headings. */
  label: string;
}

const QUARTER_ENDS = ["03-31", "06-30", "09-30", "12-31"] as const;
const QUARTER_STARTS = ["01-01", "04-01", "07-01", "10-01"] as const;

export function parseReportPeriod(id: string): ReportPeriod | null {
  const match = /^(\d{4})(?:-(Q[1-4]|H1|9M))?$/.exec(id);
  if (!match) return null;
  const year = Number(match[1]);
  if (year < 2000 || year > 2100) return null;
  const part = match[2];
  if (!part) return { id, from: `${year}-01-01`, to: `${year}-12-31`, label: `Năm ${year}` };
  if (part === "H1") return { id, from: `${year}-01-01`, to: `${year}-06-30`, label: `6 tháng đầu năm ${year}` };
  if (part === "9M") return { id, from: `${year}-01-01`, to: `${year}-09-30`, label: `9 tháng năm ${year}` };
  const quarter = Number(part.slice(1)) - 1;
  return { id, from: `${year}-${QUARTER_STARTS[quarter]}`, to: `${year}-${QUARTER_ENDS[quarter]}`, label: `Quý ${["I", "II", "III", "IV"][quarter]} năm ${year}` };
}
