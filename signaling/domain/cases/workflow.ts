import { z } from "zod";
import { calendarDaySchema, caseKindSchema, caseStateSchema } from "../../protocol";
import { notifyDocuments } from "../deadlines/duties";

/**
 * The life of a petition as data: states, and for each action the states it may start from, the state
 * it leads to, the kinds it is for and the fields the law requires with it (legal-rules notes, "Case
 * life"). Who may take each step is a role rule, in `policies/cases.ts` (`casePolicy.stepRefusal`, which
 * asks this table first).
 */

export const caseKinds = caseKindSchema.options;
export type CaseKind = (typeof caseKinds)[number];

export const caseStates = caseStateSchema.options;
export type CaseState = (typeof caseStates)[number];

const reason = z.string().trim().min(5).max(4000);
/** Obstacles the Law on Complaints names (Art. 9): illness, natural disaster, enemy action, work or study far away… */
export const filingObstacles = ["illness", "disaster", "workTravel", "other"] as const;
/** Why a denunciation is re-filed with the superior (Luật TC Art. 37): the resolution ran out, or it is thought unlawful. */
export const refileGrounds = ["overdue", "unlawful"] as const;
const documentNumber = z.string().trim().min(1).max(60);

export const actionPayloads = {
  classify: z
    .object({
      kind: z.enum(caseKinds),
      eligible: z.boolean(),
      withinCompetence: z.boolean(),
      complexity: z.enum(["normal", "complex", "especiallyComplex"]).default("normal"),
      remoteArea: z.boolean().default(false),
      // A denunciation whose checking needs several places: 10 working days instead of 7 (Luật TC Art. 24(1)(a)).
      checkInSeveralPlaces: z.boolean().default(false),
      // A complaint against a civil servant's disciplinary decision: its own limits (Luật KN ch. IV).
      disciplinary: z.boolean().default(false),
      note: z.string().max(4000).optional(),
    })
    .strict(),
  // knewOfDecisionOn: the day the complainant knew of the decision or act (a disciplinary complaint: received
  // the decision); required for a round-1 complaint, whose filing limit is checked with it (Luật KN Art. 9).
  accept: z.object({ decisionNumber: documentNumber, decisionDate: calendarDaySchema, knewOfDecisionOn: calendarDaySchema.optional() }).strict(),
  reject: z.object({ reason }).strict(),
  guide: z.object({ guidance: reason }).strict(),
  archive: z.object({ reason }).strict(),
  forward: z.object({ toUnitId: z.string().min(1).max(64), reason }).strict(),
  startVerification: z.object({ note: z.string().max(4000).optional() }).strict(),
  // decisionDate: the day the extension was decided (default today); one decided after the period ran out is refused.
  extend: z.object({ days: z.number().int().min(1).max(30), reason, decisionNumber: documentNumber, decisionDate: calendarDaySchema.optional() }).strict(),
  suspend: z.object({ reason, effectiveDate: calendarDaySchema }).strict(),
  resume: z.object({ reason, effectiveDate: calendarDaySchema }).strict(),
  terminate: z.object({ reason }).strict(),
  // continueHandling: a withdrawn denunciation is still handled when the authority finds signs of a violation
  // or that the withdrawal was forced (Luật Tố cáo 2018 Art. 33); the case then stays where it was.
  withdraw: z.object({ reason, continueHandling: z.boolean().optional() }).strict(),
  conclude: z
    .object({
      decisionNumber: documentNumber,
      decisionDate: calendarDaySchema,
      outcome: z.enum(["right", "partlyRight", "wrong"]),
      summary: z.string().trim().min(10).max(8000),
    })
    .strict(),
  publish: z.object({ publishedAnswer: z.string().trim().min(10).max(8000) }).strict(),
  enforce: z.object({ note: z.string().max(4000).optional() }).strict(),
  close: z.object({ note: z.string().max(4000).optional() }).strict(),
  // Round 2 goes to the superior authority: the parent unit, or the ancestor the citizen names (toUnitId).
  // decisionReceivedOn: when the citizen received the round-1 decision (Art. 33 counts from it).
  secondRound: z.object({ reason, receivedDate: calendarDaySchema, decisionReceivedOn: calendarDaySchema.optional(), toUnitId: z.string().min(1).max(64).optional() }).strict(),
  // A re-filed denunciation (tố cáo tiếp, Luật TC Art. 37) goes to the head of the direct superior (or the
  // ancestor named in toUnitId): because the resolution was overdue, or the denouncer has grounds to think it unlawful.
  refile: z.object({ reason, grounds: z.enum(refileGrounds), receivedDate: calendarDaySchema, toUnitId: z.string().min(1).max(64).optional() }).strict(),
  // Round 2's mandatory meeting with the complainant (đối thoại, Luật KN Art. 39), recorded in minutes.
  dialogue: z.object({ heldOn: calendarDaySchema, minutesNumber: documentNumber.optional(), note: z.string().max(4000).optional() }).strict(),
  // Time the complainant could not file for an obstacle is not counted in the filing limit (Luật KN Art. 9):
  // from the day it began to the day they could act again (resumedOn counts again).
  filingObstacle: z
    .object({ obstacle: z.enum(filingObstacles), from: calendarDaySchema, resumedOn: calendarDaySchema, reason })
    .strict()
    .refine((value) => value.resumedOn > value.from, { message: "resumedOn must come after from", path: ["resumedOn"] }),
  // A notice or decision was sent to the petitioner: closes the duty to send it (domain/deadlines/duties.ts).
  notify: z.object({ document: z.enum(notifyDocuments), sentOn: calendarDaySchema, note: z.string().max(4000).optional() }).strict(),
} as const;

export type CaseAction = keyof typeof actionPayloads;
export const caseActions = Object.keys(actionPayloads) as CaseAction[];
export type ActionPayload<A extends CaseAction> = z.output<(typeof actionPayloads)[A]>;

export interface Transition {
  from: readonly CaseState[];
  to: CaseState;
  /** Only for these kinds (e.g. extensions exist for denunciations, second rounds for complaints). */
  kinds?: readonly CaseKind[];
  /** Recorded without moving the case (`to` is then only nominal): the step closes duties, not states. */
  staysInState?: true;
}

const open: CaseState[] = ["received", "classified", "accepted", "verifying", "suspended"];

export const transitions: Record<CaseAction, Transition> = {
  classify: { from: ["received"], to: "classified" },
  // Acceptance is the head's signed decision; the clerk who holds it may record it (its number is required).
  accept: { from: ["classified"], to: "accepted" },
  reject: { from: ["classified"], to: "notAccepted" },
  guide: { from: ["classified"], to: "guided" },
  archive: { from: ["classified"], to: "archived" },
  // The receiving unit starts from the beginning; the case keeps its code and history.
  forward: { from: ["classified"], to: "received" },
  startVerification: { from: ["accepted"], to: "verifying" },
  extend: { from: ["verifying"], to: "verifying", kinds: ["denunciation"] },
  suspend: { from: ["accepted", "verifying"], to: "suspended" },
  resume: { from: ["suspended"], to: "verifying" },
  terminate: { from: ["accepted", "verifying", "suspended"], to: "terminated" },
  withdraw: { from: open, to: "withdrawn" },
  conclude: { from: ["verifying"], to: "concluded" },
  publish: { from: ["concluded"], to: "published" },
  enforce: { from: ["published"], to: "enforced" },
  close: { from: ["enforced", "notAccepted", "guided", "archived", "terminated", "withdrawn"], to: "closed" },
  // Also from an undecided round 1 once it is overdue (Luật KN Art. 33; checked with the dates, caseDeadline.secondRoundFiling).
  secondRound: { from: ["accepted", "verifying", "concluded", "published", "enforced", "closed"], to: "received", kinds: ["complaint"] },
  // "overdue" from a resolution still open past its period, "unlawful" after a conclusion (checked with the
  // dates, caseDeadline.refiledDenunciation); the case goes back to "received" at the superior.
  refile: { from: ["accepted", "verifying", "suspended", "concluded", "published", "enforced", "closed"], to: "received", kinds: ["denunciation"] },
  dialogue: { from: ["accepted", "verifying"], to: "verifying", staysInState: true, kinds: ["complaint"] },
  // Before the acceptance decision, which checks the filing limit with them.
  filingObstacle: { from: ["received", "classified"], to: "classified", staysInState: true, kinds: ["complaint"] },
  // Also before a forward (the denouncer is told with the forwarding slip) and after a refusal to accept.
  notify: { from: ["classified", "notAccepted", "accepted", "verifying", "suspended", "terminated", "concluded", "published", "enforced"], to: "verifying", staysInState: true, kinds: ["complaint", "denunciation"] },
};

export type TransitionRefusal = "INVALID_TRANSITION" | "NOT_FOR_THIS_KIND" | "SECOND_ROUND_ONLY_ONCE" | "DIALOGUE_REQUIRED";

/** The facts of a case a step is judged on. dialogueHeld: this round has a recorded dialogue (roundFacts.dialogueHeldThisRound); unknown counts as not. */
export interface StepFacts {
  state: CaseState;
  kind: CaseKind | null;
  round: number;
  dialogueHeld?: boolean;
}

/**
 * Why the case does not allow an action now, or null when it does — whoever asks: the roles are judged by
 * `casePolicy.stepRefusal`, between the state check and the rest. Payload validation is separate (zod).
 */
export function refusalOf(action: CaseAction, current: StepFacts): TransitionRefusal | null {
  const transition = transitions[action];
  if (!transition.from.includes(current.state)) return "INVALID_TRANSITION";
  if (transition.kinds && (!current.kind || !transition.kinds.includes(current.kind))) return "NOT_FOR_THIS_KIND";
  if (action === "secondRound" && current.round >= 2) return "SECOND_ROUND_ONLY_ONCE";
  // Round 2 decides only after meeting the complainant (Luật KN Art. 39; also applied to a disciplinary round 2).
  if (action === "conclude" && current.kind === "complaint" && current.round >= 2 && !current.dialogueHeld) return "DIALOGUE_REQUIRED";
  return null;
}
