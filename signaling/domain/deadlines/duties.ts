import type { WorkingCalendar } from "./calendar";
import { computeDeadline, DeadlineError, type Extension, type Suspension } from "./engine";
import { compareDates, type LocalDate, localDate, vietnamDateOf } from "./localDate";
import { deadlineRuleRows, type DeadlineRule, type DeadlineRuleId, type DenunciationComplexity, ruleInForce } from "./rules";

/**
 * Duties (issue 13 item 2): every clock of a case runs in parallel. Each history event opens zero or more
 * duties — one statutory period each, with its rule, legal basis and due date — and closes the open duties
 * that list its kind. "Received" opens "classify and decide" while the kind is unknown, and the kind's own
 * acceptance duty once it is; "accepted" opens the resolution AND, for a denunciation, the notice to the
 * denouncer; a decision opens its sending. Pure: no I/O, the history and the calendar are the input.
 */

/**
 * - `act`: something the authority must do by the due date; the work queue, badges, notifications and
 *   reports use the nearest open one.
 * - `citizen`: a limit the petitioner must keep (file round 2 within 30 days): shown, never "overdue" for staff.
 * - `keep`: a minimum retention (keep an ineligible petition 1 year): shown, never "overdue".
 * - `effect`: when a decision takes legal effect if nobody acts against it (Luật KN Art. 43): shown, never "overdue".
 */
export type DutyNature = "act" | "citizen" | "keep" | "effect";

/** One history event as the duties read it (CaseEvent: action and its parsed data). */
export interface DutyEvent {
  sequence?: number;
  action: string;
  data: Record<string, unknown>;
  /** When it was recorded; dates the events whose data carries no date of their own (terminate, old forwards). */
  at?: Date;
}

/** What the history does not say: the case as it is now. */
export interface DutyCaseFacts {
  /** The kind now; used before the first classification when the receive event did not record one. */
  kind: string | null;
  receivedDate: string;
  complexity: DenunciationComplexity;
  remoteArea: boolean;
  /** An anonymous petitioner cannot be notified: no notice duty opens for them. */
  anonymous?: boolean;
}

export interface OpenDuty {
  /** `<rule id>@<sequence of the opening event>`: stable while the duty is open. */
  id: string;
  ruleId: DeadlineRuleId;
  label: string;
  basis: string;
  nature: DutyNature;
  /** Which entry of `dutyClosers` it belongs to (intake, resolve, notifyAcceptance…). */
  family: DutyFamily;
  /** The day that opened it (not counted). */
  start: LocalDate;
  /** Undefined while a suspension stops its clock, or when its period cannot be computed (`problem`). */
  due: LocalDate | undefined;
  /** The event kinds that close it (an action, or `notify:<document>`). */
  closedBy: readonly string[];
  /** Set (lenient reading only) when the stored history breaks a rule, e.g. an extension the law refuses. */
  problem?: DeadlineError["code"];
}

/** The notices and decisions whose sending is itself a duty (the `notify` step records one being sent). */
export const notifyDocuments = ["acceptance", "nonAcceptance", "forwarding", "decision", "suspension", "termination"] as const;
export type NotifyDocument = (typeof notifyDocuments)[number];

/** The kind of an event for closing duties: its action; a notice by the document it sent. */
export function eventKind(event: Pick<DutyEvent, "action" | "data">): string {
  if (event.action === "notify" && typeof event.data.document === "string") return `notify:${event.data.document}`;
  // A denunciation handled on after its withdrawal (Luật Tố cáo Art. 33) keeps every clock running.
  if (event.action === "withdraw" && event.data.continueHandling === true) return "withdraw:continued";
  return event.action;
}

/** What closes each family of duty: the catalogue as data (README, "Duties"). */
export const dutyClosers = {
  /**
   * Classify and decide / accept within the limit: any decision on the petition ends it. A re-filed
   * denunciation (`refile`, Luật TC Art. 37) moves to the superior, which takes the case's clocks over.
   */
  intake: ["classify", "accept", "reject", "guide", "archive", "forward", "withdraw", "secondRound", "refile", "close"],
  resolve: ["conclude", "terminate", "withdraw", "secondRound", "refile", "close"],
  /** Tell the petitioner the petition was accepted, or not and why (complaints Art. 27/36, denunciations Art. 29); a filed round 2 ends round 1. */
  notifyAcceptance: ["notify:acceptance", "notify:nonAcceptance", "withdraw", "secondRound", "refile", "close"],
  /** Tell the denouncer the denunciation was forwarded (Luật TC Art. 24(1)(b)); moot once the unit decides to keep it. */
  notifyForwarding: ["notify:forwarding", "accept", "reject", "guide", "archive", "withdraw", "close"],
  /** Round 2's mandatory dialogue (Luật KN Art. 39): recorded by the `dialogue` step. */
  dialogue: ["dialogue", "terminate", "withdraw", "close"],
  sendDecision: ["notify:decision", "close"],
  sendSuspension: ["notify:suspension", "close"],
  sendTermination: ["notify:termination", "close"],
  fileSecondRound: ["secondRound", "close"],
  /** A round-1 decision complained of again does not take effect on that date (Luật KN Art. 43). */
  takesEffect: ["secondRound"],
  keep: [],
} as const satisfies Record<string, readonly string[]>;
export type DutyFamily = keyof typeof dutyClosers;

/**
 * What the classification said about the handling, as far as the clocks care: a denunciation outside the
 * unit's competence must be forwarded (5 working days) instead of checked; one whose checking needs several
 * places gets 10 working days instead of 7 (Luật TC Art. 24(1)); a complaint against a disciplinary decision
 * follows its own track (Luật KN ch. IV).
 */
export interface HandlingTrack {
  withinCompetence: boolean;
  checkInSeveralPlaces: boolean;
  disciplinary: boolean;
}
const ORDINARY_TRACK: HandlingTrack = { withinCompetence: true, checkInSeveralPlaces: false, disciplinary: false };

/** The track a classification event records (fields missing from older events read as the ordinary track). */
export function trackOf(kind: string | null, data: Record<string, unknown>): HandlingTrack {
  return {
    withinCompetence: data.withinCompetence !== false,
    checkInSeveralPlaces: kind === "denunciation" && data.checkInSeveralPlaces === true,
    disciplinary: kind === "complaint" && data.disciplinary === true,
  };
}

/** The duty that opens when a petition is received (or forwarded, or filed again: round 2, a re-filed denunciation). */
export function intakeRule(kind: string | null, round: number, track: HandlingTrack = ORDINARY_TRACK, refiled = false): DeadlineRuleId {
  if (kind === "complaint") {
    if (track.disciplinary) return round >= 2 ? "disciplinary.acceptSecondRound" : "disciplinary.acceptFirstRound";
    return round >= 2 ? "complaint.acceptSecondRound" : "complaint.acceptFirstRound";
  }
  if (kind === "denunciation") {
    if (!track.withinCompetence) return "denunciation.forward";
    // The superior reviews a re-filed denunciation instead of the initial check (Luật TC Art. 37).
    if (refiled) return "denunciation.reviewRefiled";
    return track.checkInSeveralPlaces ? "denunciation.initialCheckSeveralPlaces" : "denunciation.initialCheck";
  }
  // Kind unknown (or a recommendation/feedback): the petition must still be classified and decided.
  return "petition.process";
}

function resolveRule(round: number, track: HandlingTrack): DeadlineRuleId {
  if (track.disciplinary) return round >= 2 ? "disciplinary.resolveSecondRound" : "disciplinary.resolveFirstRound";
  return round >= 2 ? "complaint.resolveSecondRound" : "complaint.resolveFirstRound";
}

function notifyAcceptanceRule(round: number): DeadlineRuleId {
  return round >= 2 ? "complaint.notifyAcceptanceSecondRound" : "complaint.notifyAcceptanceFirstRound";
}

interface Opened {
  id: string;
  ruleId: DeadlineRuleId;
  nature: DutyNature;
  family: DutyFamily;
  start: LocalDate;
}

const dateIn = (data: Record<string, unknown>, key: string): LocalDate | undefined => {
  const value = data[key];
  if (typeof value !== "string") return undefined;
  try {
    return localDate(value);
  } catch {
    return undefined;
  }
};

/**
 * The duties of a case, replayed from its history. `strict` (on writes) lets a DeadlineError through so
 * the step that caused it is refused; otherwise (reads) the duty is returned with `problem` set and no
 * due date, so a case page still opens when, e.g., a calendar edit makes a stored extension late.
 */
export function openDuties(
  facts: DutyCaseFacts,
  events: readonly DutyEvent[],
  calendar: WorkingCalendar,
  options: { strict?: boolean; ruleRows?: readonly DeadlineRule[] } = {},
): OpenDuty[] {
  const rows = options.ruleRows ?? deadlineRuleRows;
  const hasClassification = events.some((event) => event.action === "classify");
  let kind: string | null = hasClassification ? null : facts.kind;
  let round = 1;
  let track: HandlingTrack = ORDINARY_TRACK;
  /** A re-filed denunciation (tố cáo tiếp) is reviewed and resolved under Art. 37's rows from then on. */
  let refiled = false;
  let handlingStart = localDate(facts.receivedDate);
  let suspensions: Suspension[] = [];
  let extensions: Extension[] = [];
  let open: Opened[] = [];

  events.forEach((event, index) => {
    const sequence = event.sequence ?? index + 1;
    const key = eventKind(event);
    open = open.filter((duty) => !(dutyClosers[duty.family] as readonly string[]).includes(key));
    const add = (ruleId: DeadlineRuleId, start: LocalDate | undefined, nature: DutyNature, family: DutyFamily) => {
      if (start) open.push({ id: `${ruleId}@${sequence}`, ruleId, nature, family, start });
    };
    const eventDate = event.at ? vietnamDateOf(event.at) : undefined;
    const { data } = event;
    switch (event.action) {
      case "receive":
        if (typeof data.kind === "string") kind = data.kind;
        handlingStart = dateIn(data, "receivedDate") ?? handlingStart;
        add(intakeRule(kind, round, track, refiled), handlingStart, "act", "intake");
        break;
      case "classify":
        // A classification without a kind (not possible through the API) keeps the case's current one.
        kind = typeof data.kind === "string" ? data.kind : facts.kind;
        track = trackOf(kind, data);
        // The period still runs from the receipt: classifying names the clock, it does not restart it.
        add(intakeRule(kind, round, track, refiled), handlingStart, "act", "intake");
        if (kind === "denunciation" && !track.withinCompetence && !facts.anonymous) add("denunciation.notifyForwarding", handlingStart, "act", "notifyForwarding");
        break;
      case "forward":
        // The receiving unit starts afresh on the day it receives the petition (issue 13 item 4).
        handlingStart = dateIn(data, "receivedByTargetOn") ?? eventDate ?? handlingStart;
        suspensions = [];
        extensions = [];
        // The receiving unit decides its own competence; what the petition is (a disciplinary complaint) stays.
        track = { ...ORDINARY_TRACK, disciplinary: track.disciplinary };
        add(intakeRule(kind, round, track, refiled), handlingStart, "act", "intake");
        break;
      case "secondRound":
        round += 1;
        handlingStart = dateIn(data, "receivedDate") ?? handlingStart;
        suspensions = [];
        extensions = [];
        track = { ...ORDINARY_TRACK, disciplinary: track.disciplinary };
        add(intakeRule(kind, round, track, refiled), handlingStart, "act", "intake");
        break;
      case "refile":
        // The superior authority takes it up from the day it receives the re-filed denunciation.
        refiled = true;
        handlingStart = dateIn(data, "receivedDate") ?? handlingStart;
        suspensions = [];
        extensions = [];
        track = ORDINARY_TRACK;
        add(intakeRule(kind, round, track, refiled), handlingStart, "act", "intake");
        break;
      case "accept": {
        const decided = dateIn(data, "decisionDate");
        if (kind === "complaint") {
          add(resolveRule(round, track), decided, "act", "resolve");
          // Round 2 must hold a dialogue before its decision (Luật KN Art. 39); its track has no own period.
          if (round >= 2 && !track.disciplinary) add("complaint.secondRoundDialogue", decided, "act", "dialogue");
          // Accepting and notifying share Art. 27's (round 2: Art. 36's) 10 days from the receipt.
          if (!track.disciplinary && !facts.anonymous) add(notifyAcceptanceRule(round), handlingStart, "act", "notifyAcceptance");
        }
        if (kind === "denunciation") {
          add(refiled ? "denunciation.resolveRefiled" : "denunciation.resolve", decided, "act", "resolve");
          add("denunciation.notifyAcceptance", decided, "act", "notifyAcceptance");
        }
        break;
      }
      case "reject":
        // Not accepted: the complainant is told why, within the same 10 days (Luật KN Art. 27 / 36).
        if (kind === "complaint" && !track.disciplinary && !facts.anonymous) add(notifyAcceptanceRule(round), handlingStart, "act", "notifyAcceptance");
        break;
      case "suspend": {
        const from = dateIn(data, "effectiveDate");
        if (from) suspensions.push({ from });
        if (kind === "denunciation") add("denunciation.sendSuspensionOrTermination", from, "act", "sendSuspension");
        break;
      }
      case "resume": {
        const on = dateIn(data, "effectiveDate");
        const last = suspensions.at(-1);
        if (on && last && !last.resumedOn) last.resumedOn = on;
        break;
      }
      case "extend":
        if (typeof data.days === "number") {
          const grantedOn = dateIn(data, "grantedOn") ?? dateIn(data, "decisionDate") ?? eventDate;
          if (grantedOn) extensions.push({ days: data.days, grantedOn });
        }
        break;
      case "terminate":
        if (kind === "denunciation") add("denunciation.sendSuspensionOrTermination", eventDate, "act", "sendTermination");
        break;
      case "conclude": {
        const decided = dateIn(data, "decisionDate");
        if (kind === "complaint" && track.disciplinary) {
          // Chapter IV's own limit to complain again: 10 days from receiving the round-1 decision.
          if (round < 2) add("disciplinary.fileSecondRound", decided, "citizen", "fileSecondRound");
        } else if (kind === "complaint") {
          add(round >= 2 ? "complaint.sendSecondRoundDecision" : "complaint.sendFirstRoundDecision", decided, "act", "sendDecision");
          // Counted from the decision's date; the citizen's actual receipt (decisionReceivedOn) may be later.
          if (round < 2) add("complaint.fileSecondRound", decided, "citizen", "fileSecondRound");
          // …and unless complained of again (or taken to court), it takes effect 30 (remote 45) days after issue.
          if (round < 2) add("complaint.firstRoundDecisionTakesEffect", decided, "effect", "takesEffect");
        }
        break;
      }
      case "archive":
        add("petition.keepIneligible", handlingStart, "keep", "keep");
        break;
      default:
        break;
    }
  });

  return open.map((duty) => {
    const rule = ruleInForce(duty.ruleId, duty.start, rows);
    const base = { id: duty.id, ruleId: duty.ruleId, label: rule.label, basis: rule.basis, nature: duty.nature, family: duty.family, start: duty.start, closedBy: dutyClosers[duty.family] };
    try {
      const deadline = computeDeadline(
        {
          rule,
          start: duty.start,
          circumstances: { complex: facts.complexity !== "normal", remoteArea: facts.remoteArea },
          complexity: facts.complexity,
          // Suspensions and extensions stop or lengthen the resolution period only (and the dialogue, which
          // must happen within it); an extension is refused on rules without one, so the dialogue gets none.
          ...(duty.family === "resolve" ? { suspensions, extensions } : duty.family === "dialogue" ? { suspensions } : {}),
        },
        calendar,
      );
      return { ...base, due: deadline.due };
    } catch (error) {
      if (options.strict || !(error instanceof DeadlineError)) throw error;
      return { ...base, due: undefined, problem: error.code };
    }
  });
}

/**
 * The duty the work queue sorts by: of the open `act` duties, the one due first; when every one is
 * stopped (suspended), one of those, so the case shows as suspended; undefined when none is open.
 */
export function nearestDuty(duties: readonly OpenDuty[]): OpenDuty | undefined {
  const acting = duties.filter((duty) => duty.nature === "act");
  const dated = acting.filter((duty): duty is OpenDuty & { due: LocalDate } => duty.due !== undefined);
  if (dated.length === 0) return acting[0];
  return dated.reduce((best, duty) => (compareDates(duty.due, best.due) < 0 || (duty.due === best.due && duty.id < best.id) ? duty : best));
}
