import type { Deadline, OpenDuty } from "../domain/deadlines";
import { standing } from "../domain/deadlines/engine";
import type { LocalDate } from "../domain/deadlines/localDate";
import { replaceIdentity } from "./identityMask";
import { caseKindSchema, caseStateSchema, type CaseDetail, type CaseSummary } from "../protocol";

export const PROTECTED_DENOUNCER_NAME = "Người tố cáo (được bảo mật)";

/**
 * Free text (a petition's content, a booking's, a book entry's, a chat line) with the protected person's
 * name, CCCD, phone and address replaced by `label`: a denouncer often writes "Tôi là …" in the letter
 * itself, so masking only the identity fields would leave the name in the text beside them. Found however
 * it was typed — without accents, in capitals, with numbers spaced out (presenters/identityMask.ts).
 */
export function maskIdentityInText(text: string, identity: readonly (string | null | undefined)[], label: string = PROTECTED_DENOUNCER_NAME): string {
  return replaceIdentity(text, identity, label);
}

/** The columns a case list row needs; list queries (services/cases/caseQueries.ts) select exactly these. */
export interface CaseSummaryRow {
  id: string;
  code: string;
  kind: string | null;
  state: string;
  round: number;
  summary: string;
  receivedDate: string;
  dueDate: string | null;
  deadlineRule: string | null;
  assigneeId: string | null;
  unit: { id: string; code: string; name: string };
}

interface PartyRow {
  id: string;
  role: string;
  name: string;
  idNumber: string | null;
  phone: string | null;
  address: string | null;
  organization: string | null;
}

/** The running deadline as shown; `due` undefined means the clock is stopped (suspension). */
export function presentDeadline(deadline: { due: LocalDate | undefined; ruleId: string; basis: string } | null, today: LocalDate): CaseSummary["deadline"] {
  if (!deadline) return { ruleId: null, basis: null, due: null, daysLeft: null, status: "none" };
  const { status, daysLeft } = standing({ ...deadline, ruleId: deadline.ruleId as Deadline["ruleId"], allowedDays: 0 }, today);
  return { ruleId: deadline.ruleId, basis: deadline.basis, due: deadline.due ?? null, daysLeft: daysLeft ?? null, status };
}

/** One open duty as the case page lists it: name (rule id, labelled by the client), due date, basis. */
export function presentDuty(duty: OpenDuty, today: LocalDate): CaseDetail["duties"][number] {
  const { status, daysLeft } = standing({ ruleId: duty.ruleId, basis: duty.basis, allowedDays: 0, due: duty.due }, today);
  return {
    id: duty.id,
    ruleId: duty.ruleId,
    label: duty.label,
    basis: duty.basis,
    nature: duty.nature,
    start: duty.start,
    due: duty.due ?? null,
    // Only the authority's own duties can be overdue; a citizen's limit or a retention period just runs out.
    status: duty.problem ? "none" : duty.nature === "act" ? status : "onTime",
    daysLeft: daysLeft ?? null,
    problem: duty.problem ?? null,
  };
}

/** `assigneeNames`: display names by account id (a row whose assignee is not in it shows none). */
export function presentCaseSummary(row: CaseSummaryRow, deadline: CaseSummary["deadline"], assigneeNames: ReadonlyMap<string, string>): CaseSummary {
  const assigneeName = row.assigneeId ? assigneeNames.get(row.assigneeId) : undefined;
  const kind = caseKindSchema.safeParse(row.kind);
  return {
    id: row.id,
    code: row.code,
    kind: kind.success ? kind.data : null,
    state: caseStateSchema.parse(row.state),
    round: row.round,
    unit: { id: row.unit.id, code: row.unit.code, name: row.unit.name },
    summary: row.summary,
    receivedDate: row.receivedDate,
    deadline,
    assignee: row.assigneeId && assigneeName !== undefined ? { id: row.assigneeId, displayName: assigneeName } : null,
  };
}

/**
 * Parties as this reader may see them: without the right to a protected petitioner's identity (the
 * case policy decides, kind and history included), petitioners and representatives come back as a
 * fixed label with no personal data.
 */
export function presentParties(parties: readonly PartyRow[], mayReadIdentity: boolean): CaseDetail["parties"] {
  return parties.map((party) => {
    const role = party.role as CaseDetail["parties"][number]["role"];
    const hidden = !mayReadIdentity && role !== "respondent";
    return hidden
      ? { id: party.id, role, name: PROTECTED_DENOUNCER_NAME, idNumber: null, phone: null, address: null, organization: null, protected: true }
      : { id: party.id, role, name: party.name, idNumber: party.idNumber, phone: party.phone, address: party.address, organization: party.organization, protected: false };
  });
}
