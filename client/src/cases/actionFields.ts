import { todayInVietnam } from "../dates";

/**
 * The inputs each workflow step asks for. The server's workflow table is the authority (it validates
 * the same fields); this only decides how to ask for them.
 */
export type FieldSpec =
  | { name: string; type: "text" | "textarea" | "date"; optional?: boolean }
  | { name: string; type: "number"; min: number; max: number }
  | { name: string; type: "checkbox" }
  | { name: string; type: "select"; options: readonly string[]; labels: string }
  | { name: string; type: "unit"; optional?: boolean };

const reason: FieldSpec = { name: "reason", type: "textarea" };
const note: FieldSpec = { name: "note", type: "textarea", optional: true };
const decision: FieldSpec[] = [
  { name: "decisionNumber", type: "text" },
  { name: "decisionDate", type: "date" },
];

export const actionFields: Record<string, FieldSpec[]> = {
  classify: [
    { name: "kind", type: "select", options: ["complaint", "denunciation", "recommendation", "feedback"], labels: "caseKinds" },
    { name: "eligible", type: "checkbox" },
    { name: "withinCompetence", type: "checkbox" },
    { name: "complexity", type: "select", options: ["normal", "complex", "especiallyComplex"], labels: "complexity" },
    { name: "remoteArea", type: "checkbox" },
    { name: "checkInSeveralPlaces", type: "checkbox" },
    { name: "disciplinary", type: "checkbox" },
    note,
  ],
  // A round-1 complaint also needs the day the complainant knew of the decision: the server checks the filing limit.
  accept: [...decision, { name: "knewOfDecisionOn", type: "date", optional: true }],
  reject: [reason],
  guide: [{ name: "guidance", type: "textarea" }],
  archive: [reason],
  forward: [{ name: "toUnitId", type: "unit" }, reason],
  startVerification: [note],
  extend: [{ name: "days", type: "number", min: 1, max: 30 }, { name: "decisionNumber", type: "text" }, { name: "decisionDate", type: "date", optional: true }, reason],
  suspend: [reason, { name: "effectiveDate", type: "date" }],
  resume: [reason, { name: "effectiveDate", type: "date" }],
  terminate: [reason],
  withdraw: [reason, { name: "continueHandling", type: "checkbox" }],
  conclude: [...decision, { name: "outcome", type: "select", options: ["right", "partlyRight", "wrong"], labels: "outcomes" }, { name: "summary", type: "textarea" }],
  publish: [{ name: "publishedAnswer", type: "textarea" }],
  enforce: [note],
  close: [note],
  // Round 2 goes to the parent unit unless the citizen named another superior; Art. 33 counts from the day the
  // citizen received the round-1 decision (left empty: the decision's own date).
  secondRound: [reason, { name: "receivedDate", type: "date" }, { name: "decisionReceivedOn", type: "date", optional: true }, { name: "toUnitId", type: "unit", optional: true }],
  // A re-filed denunciation (Luật TC Art. 37) goes to the direct superior unless another ancestor is named.
  refile: [reason, { name: "grounds", type: "select", options: ["overdue", "unlawful"], labels: "refileGrounds" }, { name: "receivedDate", type: "date" }, { name: "toUnitId", type: "unit", optional: true }],
  // A notice or decision sent to the petitioner: closes the duty to send it.
  notify: [
    { name: "document", type: "select", options: ["acceptance", "nonAcceptance", "forwarding", "decision", "suspension", "termination"], labels: "notifyDocuments" },
    { name: "sentOn", type: "date" },
    note,
  ],
  dialogue: [{ name: "heldOn", type: "date" }, { name: "minutesNumber", type: "text", optional: true }, note],
  filingObstacle: [
    { name: "obstacle", type: "select", options: ["illness", "disaster", "workTravel", "other"], labels: "filingObstacles" },
    { name: "from", type: "date" },
    { name: "resumedOn", type: "date" },
    reason,
  ],
};

/** Starting values: booleans false, first option chosen, required dates today (Vietnam), optional ones empty. */
export function initialValues(fields: readonly FieldSpec[]): Record<string, string | boolean> {
  const today = todayInVietnam();
  return Object.fromEntries(
    fields.map((field) => [field.name, field.type === "checkbox" ? false : field.type === "select" ? (field.options[0] ?? "") : field.type === "date" && !field.optional ? today : ""]),
  );
}

/** Form values → the request body: numbers as numbers, empty optional text left out. */
export function toPayload(fields: readonly FieldSpec[], values: Record<string, string | boolean>): Record<string, unknown> {
  const payload: Record<string, unknown> = {};
  for (const field of fields) {
    const value = values[field.name];
    if (field.type === "number") payload[field.name] = Number(value);
    else if (field.type === "checkbox") payload[field.name] = Boolean(value);
    else if (typeof value === "string" && value.trim() === "" && "optional" in field && field.optional) continue;
    else payload[field.name] = value;
  }
  return payload;
}
