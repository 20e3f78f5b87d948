/**
 * Statutory time limits as data, each with its legal basis (legal-rules notes). When a law changes, a
 * row changes here; the engine has no numbers of its own, and no row holds code.
 */

/**
 * How a period is counted: calendar days ("ngày"), working days ("ngày làm việc"), or months/years, which
 * end on the matching date of the last month/year (BLDS 2015 Art. 148), not after 30/365 days.
 */
export type DayUnit = "calendar" | "working" | "months" | "years";

/** What a case is, for the limits that depend on it. */
export interface CaseCircumstances {
  /** phức tạp */
  complex: boolean;
  /** vùng sâu, vùng xa, đi lại khó khăn */
  remoteArea: boolean;
}

export type DenunciationComplexity = "normal" | "complex" | "especiallyComplex";

/**
 * Where an extension's days are counted from when the period's last day fell on a day off and rolled over
 * to the next working day (BLDS Art. 148): from the last day itself (the law's period plus the extension,
 * the reading that never lengthens the total), or from the rolled-over due date. Neither the Law on
 * Denunciations nor its decree says; the rule's data picks one and a case may be computed with the other.
 */
export type ExtensionCountFrom = "lastDay" | "rolledDueDate";

export interface ExtensionPolicy {
  /** How many extensions the case may have, by how complex it is. */
  maxCount: Record<DenunciationComplexity, number>;
  /** Longest single extension, in the rule's unit. */
  maxDaysEach: number;
  countFrom: ExtensionCountFrom;
  basis: string;
}

/** The period's length in the rule's unit, by the variants the Law on Complaints uses. */
export interface PeriodLength {
  normal: number;
  complex?: number;
  remote?: number;
  complexRemote?: number;
}

export interface DeadlineRule {
  id: DeadlineRuleId;
  /** Short description in Vietnamese, shown on the case page. */
  label: string;
  basis: string;
  unit: DayUnit;
  /** The event whose date starts the count (that day itself is not counted). */
  trigger:
    | "received"
    | "accepted"
    | "acceptanceDecision"
    | "firstRoundEnded"
    | "knewOfDecision"
    | "receivedDecision"
    | "decisionIssued"
    | "suspensionOrTerminationDecided";
  length: PeriodLength;
  extensions?: ExtensionPolicy;
  /**
   * First and last day (YYYY-MM-DD) of the periods this row governs: a case uses the row in force on the day
   * its period started. An amendment is a new row with the same id and a later `validFrom` (ruleInForce).
   */
  validFrom?: string;
  validTo?: string;
}

export type DeadlineRuleId =
  | "complaint.fileFirstRound"
  | "complaint.acceptFirstRound"
  | "complaint.notifyAcceptanceFirstRound"
  | "complaint.resolveFirstRound"
  | "complaint.sendFirstRoundDecision"
  | "complaint.firstRoundDecisionTakesEffect"
  | "complaint.fileSecondRound"
  | "complaint.acceptSecondRound"
  | "complaint.notifyAcceptanceSecondRound"
  | "complaint.secondRoundDialogue"
  | "complaint.resolveSecondRound"
  | "complaint.sendSecondRoundDecision"
  | "disciplinary.fileFirstRound"
  | "disciplinary.acceptFirstRound"
  | "disciplinary.resolveFirstRound"
  | "disciplinary.fileSecondRound"
  | "disciplinary.acceptSecondRound"
  | "disciplinary.resolveSecondRound"
  | "denunciation.notifyAcceptance"
  | "denunciation.initialCheck"
  | "denunciation.initialCheckSeveralPlaces"
  | "denunciation.forward"
  | "denunciation.notifyForwarding"
  | "denunciation.resolve"
  | "denunciation.sendSuspensionOrTermination"
  | "denunciation.reviewRefiled"
  | "denunciation.resolveRefiled"
  | "petition.keepIneligible"
  | "petition.process";

/** The length that applies to a case: the most specific variant the rule has, else the normal one. */
export function periodLength(rule: DeadlineRule, { complex, remoteArea }: CaseCircumstances): number {
  const { length } = rule;
  if (complex && remoteArea && length.complexRemote !== undefined) return length.complexRemote;
  if (complex && length.complex !== undefined) return length.complex;
  if (remoteArea && length.remote !== undefined) return length.remote;
  return length.normal;
}

/**
 * Art. 30's extensions of a denunciation's resolution: none for a plain case, one for a complex one, two for
 * an especially complex one, each up to 30 days from the last day. A re-filed denunciation is resolved in
 * the same periods (Art. 37), so both rules hold this one policy.
 */
const denunciationExtensions: ExtensionPolicy = {
  maxCount: { normal: 0, complex: 1, especiallyComplex: 2 },
  maxDaysEach: 30,
  countFrom: "lastDay",
  basis: "Luật Tố cáo 2018, Điều 30 khoản 1",
};

export const deadlineRules: Record<DeadlineRuleId, DeadlineRule> = {
  "complaint.fileFirstRound": {
    id: "complaint.fileFirstRound",
    label: "Thời hiệu khiếu nại lần đầu",
    // Time lost to illness, disaster, travel for work or study far away… is not counted: a suspension.
    basis: "Luật Khiếu nại 2011, Điều 9",
    validFrom: "2012-07-01",
    unit: "calendar",
    trigger: "knewOfDecision",
    length: { normal: 90 },
  },
  "complaint.acceptFirstRound": {
    id: "complaint.acceptFirstRound",
    label: "Thụ lý khiếu nại lần đầu",
    basis: "Luật Khiếu nại 2011, Điều 27",
    validFrom: "2012-07-01",
    unit: "calendar",
    trigger: "received",
    length: { normal: 10 },
  },
  // The same sentence of Art. 27 sets both: accept (or not) within 10 days of receipt AND tell the complainant
  // in writing, giving the reasons when it is not accepted. So the notice shares the acceptance period.
  "complaint.notifyAcceptanceFirstRound": {
    id: "complaint.notifyAcceptanceFirstRound",
    label: "Thông báo thụ lý / không thụ lý khiếu nại lần đầu (nêu rõ lý do khi không thụ lý)",
    basis: "Luật Khiếu nại 2011, Điều 27",
    validFrom: "2012-07-01",
    unit: "calendar",
    trigger: "received",
    length: { normal: 10 },
  },
  "complaint.resolveFirstRound": {
    id: "complaint.resolveFirstRound",
    label: "Giải quyết khiếu nại lần đầu",
    basis: "Luật Khiếu nại 2011, Điều 28",
    validFrom: "2012-07-01",
    unit: "calendar",
    trigger: "accepted",
    length: { normal: 30, complex: 45, remote: 45, complexRemote: 60 },
  },
  "complaint.sendFirstRoundDecision": {
    id: "complaint.sendFirstRoundDecision",
    label: "Gửi quyết định giải quyết khiếu nại lần đầu",
    basis: "Luật Khiếu nại 2011, Điều 32",
    validFrom: "2012-07-01",
    unit: "working",
    trigger: "decisionIssued",
    length: { normal: 3 },
  },
  "complaint.firstRoundDecisionTakesEffect": {
    id: "complaint.firstRoundDecisionTakesEffect",
    label: "Quyết định giải quyết khiếu nại lần đầu có hiệu lực (nếu không khiếu nại tiếp, không khởi kiện)",
    basis: "Luật Khiếu nại 2011, Điều 43",
    validFrom: "2012-07-01",
    unit: "calendar",
    trigger: "decisionIssued",
    length: { normal: 30, remote: 45 },
  },
  "complaint.fileSecondRound": {
    id: "complaint.fileSecondRound",
    label: "Thời hạn khiếu nại lần hai",
    basis: "Luật Khiếu nại 2011, Điều 33",
    validFrom: "2012-07-01",
    unit: "calendar",
    trigger: "firstRoundEnded",
    length: { normal: 30, remote: 45 },
  },
  "complaint.acceptSecondRound": {
    id: "complaint.acceptSecondRound",
    label: "Thụ lý khiếu nại lần hai",
    basis: "Luật Khiếu nại 2011, Điều 36",
    validFrom: "2012-07-01",
    unit: "calendar",
    trigger: "received",
    length: { normal: 10 },
  },
  "complaint.notifyAcceptanceSecondRound": {
    id: "complaint.notifyAcceptanceSecondRound",
    label: "Thông báo thụ lý / không thụ lý khiếu nại lần hai (nêu rõ lý do khi không thụ lý)",
    basis: "Luật Khiếu nại 2011, Điều 36",
    validFrom: "2012-07-01",
    unit: "calendar",
    trigger: "received",
    length: { normal: 10 },
  },
  // Round 2 must meet the complainant (đối thoại) before deciding: no period of its own, so it must happen
  // within the resolution period (Art. 37's lengths); the decision is refused until it is recorded.
  "complaint.secondRoundDialogue": {
    id: "complaint.secondRoundDialogue",
    label: "Đối thoại với người khiếu nại lần hai (bắt buộc trước khi ra quyết định)",
    basis: "Luật Khiếu nại 2011, Điều 39",
    validFrom: "2012-07-01",
    unit: "calendar",
    trigger: "accepted",
    length: { normal: 45, complex: 60, remote: 60, complexRemote: 70 },
  },
  "complaint.resolveSecondRound": {
    id: "complaint.resolveSecondRound",
    label: "Giải quyết khiếu nại lần hai",
    basis: "Luật Khiếu nại 2011, Điều 37",
    validFrom: "2012-07-01",
    unit: "calendar",
    trigger: "accepted",
    length: { normal: 45, complex: 60, remote: 60, complexRemote: 70 },
  },
  "complaint.sendSecondRoundDecision": {
    id: "complaint.sendSecondRoundDecision",
    label: "Gửi quyết định giải quyết khiếu nại lần hai",
    basis: "Luật Khiếu nại 2011, Điều 41",
    validFrom: "2012-07-01",
    unit: "working",
    trigger: "decisionIssued",
    length: { normal: 7 },
  },
  // Complaints against a civil servant's disciplinary decision (Luật Khiếu nại 2011, Chương IV). The
  // article numbers inside the chapter could not be checked offline: the chapter is cited as the basis.
  "disciplinary.fileFirstRound": {
    id: "disciplinary.fileFirstRound",
    label: "Thời hiệu khiếu nại quyết định kỷ luật lần đầu",
    basis: "Luật Khiếu nại 2011, Chương IV (thời hiệu khiếu nại quyết định kỷ luật)",
    validFrom: "2012-07-01",
    unit: "calendar",
    trigger: "receivedDecision",
    length: { normal: 15 },
  },
  "disciplinary.acceptFirstRound": {
    id: "disciplinary.acceptFirstRound",
    label: "Thụ lý khiếu nại quyết định kỷ luật lần đầu",
    basis: "Luật Khiếu nại 2011, Chương IV (thời hạn thụ lý, cần đối chiếu điều khoản)",
    validFrom: "2012-07-01",
    unit: "calendar",
    trigger: "received",
    length: { normal: 10 },
  },
  "disciplinary.resolveFirstRound": {
    id: "disciplinary.resolveFirstRound",
    label: "Giải quyết khiếu nại quyết định kỷ luật lần đầu",
    basis: "Luật Khiếu nại 2011, Chương IV (thời hạn giải quyết lần đầu)",
    validFrom: "2012-07-01",
    unit: "calendar",
    trigger: "accepted",
    length: { normal: 30, complex: 45 },
  },
  "disciplinary.fileSecondRound": {
    id: "disciplinary.fileSecondRound",
    label: "Thời hiệu khiếu nại quyết định kỷ luật lần hai",
    basis: "Luật Khiếu nại 2011, Chương IV (thời hiệu khiếu nại quyết định kỷ luật)",
    validFrom: "2012-07-01",
    unit: "calendar",
    trigger: "receivedDecision",
    length: { normal: 10 },
  },
  "disciplinary.acceptSecondRound": {
    id: "disciplinary.acceptSecondRound",
    label: "Thụ lý khiếu nại quyết định kỷ luật lần hai",
    basis: "Luật Khiếu nại 2011, Chương IV (thời hạn thụ lý, cần đối chiếu điều khoản)",
    validFrom: "2012-07-01",
    unit: "calendar",
    trigger: "received",
    length: { normal: 10 },
  },
  "disciplinary.resolveSecondRound": {
    id: "disciplinary.resolveSecondRound",
    label: "Giải quyết khiếu nại quyết định kỷ luật lần hai",
    basis: "Luật Khiếu nại 2011, Chương IV (thời hạn giải quyết lần hai)",
    validFrom: "2012-07-01",
    unit: "calendar",
    trigger: "accepted",
    length: { normal: 30, complex: 45 },
  },
  "denunciation.notifyAcceptance": {
    id: "denunciation.notifyAcceptance",
    label: "Thông báo thụ lý tố cáo",
    basis: "Luật Tố cáo 2018, Điều 29",
    validFrom: "2019-01-01",
    unit: "working",
    trigger: "acceptanceDecision",
    length: { normal: 5 },
  },
  "denunciation.initialCheck": {
    id: "denunciation.initialCheck",
    label: "Kiểm tra điều kiện thụ lý tố cáo",
    // Only a secondary source was found for this limit; treat as indicative until confirmed.
    basis: "Luật Tố cáo 2018, Điều 24 (theo nguồn thứ cấp, cần đối chiếu)",
    validFrom: "2019-01-01",
    unit: "working",
    trigger: "received",
    length: { normal: 7 },
  },
  "denunciation.initialCheckSeveralPlaces": {
    id: "denunciation.initialCheckSeveralPlaces",
    label: "Kiểm tra điều kiện thụ lý tố cáo phải xác minh ở nhiều địa điểm",
    basis: "Luật Tố cáo 2018, Điều 24 khoản 1",
    validFrom: "2019-01-01",
    unit: "working",
    trigger: "received",
    length: { normal: 10 },
  },
  // A denunciation outside the unit's competence: forward it to the competent one AND notify the denouncer,
  // both within 5 working days of receiving it (Art. 24(1)(b)); the notice never names the denouncer to the
  // receiving unit (Art. 47, policies/cases.ts).
  "denunciation.forward": {
    id: "denunciation.forward",
    label: "Chuyển đơn tố cáo không thuộc thẩm quyền",
    basis: "Luật Tố cáo 2018, Điều 24 khoản 1 điểm b",
    validFrom: "2019-01-01",
    unit: "working",
    trigger: "received",
    length: { normal: 5 },
  },
  "denunciation.notifyForwarding": {
    id: "denunciation.notifyForwarding",
    label: "Thông báo cho người tố cáo việc chuyển đơn",
    basis: "Luật Tố cáo 2018, Điều 24 khoản 1 điểm b",
    validFrom: "2019-01-01",
    unit: "working",
    trigger: "received",
    length: { normal: 5 },
  },
  "denunciation.resolve": {
    id: "denunciation.resolve",
    label: "Giải quyết tố cáo",
    basis: "Luật Tố cáo 2018, Điều 30",
    validFrom: "2019-01-01",
    unit: "calendar",
    trigger: "accepted",
    length: { normal: 30 },
    extensions: denunciationExtensions,
  },
  "denunciation.sendSuspensionOrTermination": {
    id: "denunciation.sendSuspensionOrTermination",
    label: "Gửi quyết định tạm đình chỉ, đình chỉ giải quyết tố cáo",
    basis: "Luật Tố cáo 2018, Điều 34",
    validFrom: "2019-01-01",
    unit: "working",
    trigger: "suspensionOrTerminationDecided",
    length: { normal: 5 },
  },
  // A re-filed denunciation (tố cáo tiếp): when the resolution was overdue or the denouncer has grounds to
  // think it unlawful, the head of the direct superior takes it up. The legal notes name the right but not its
  // periods: the 7 working days to review it are from the law's text as remembered, not checked offline
  // (cần đối chiếu); once accepted, it is resolved in Art. 30's periods, extensions included.
  "denunciation.reviewRefiled": {
    id: "denunciation.reviewRefiled",
    label: "Xem xét tố cáo tiếp (cơ quan cấp trên trực tiếp)",
    basis: "Luật Tố cáo 2018, Điều 37 (thời hạn xem xét tố cáo tiếp, cần đối chiếu)",
    validFrom: "2019-01-01",
    unit: "working",
    trigger: "received",
    length: { normal: 7 },
  },
  "denunciation.resolveRefiled": {
    id: "denunciation.resolveRefiled",
    label: "Giải quyết tố cáo tiếp",
    basis: "Luật Tố cáo 2018, Điều 37; thời hạn theo Điều 30",
    validFrom: "2019-01-01",
    unit: "calendar",
    trigger: "accepted",
    length: { normal: 30 },
    extensions: denunciationExtensions,
  },
  "petition.keepIneligible": {
    id: "petition.keepIneligible",
    label: "Lưu đơn không đủ điều kiện xử lý",
    basis: "Thông tư 05/2021/TT-TTCP; Thông tư 53/2015/TT-BTNMT Điều 24",
    unit: "years",
    trigger: "received",
    length: { normal: 1 },
  },
  // The clock that runs while the kind is not yet known (issue 13 item 2): classify the petition and decide
  // what to do with it. The article inside the circular could not be checked offline.
  "petition.process": {
    id: "petition.process",
    label: "Xử lý đơn (phân loại, thụ lý, chuyển hoặc hướng dẫn)",
    basis: "Thông tư 05/2021/TT-TTCP (thời hạn xử lý đơn, cần đối chiếu điều khoản)",
    unit: "working",
    trigger: "received",
    length: { normal: 10 },
  },
};

/** Every row, current and dated: an amendment taking effect on a set date is appended here as data. */
export const deadlineRuleRows: readonly DeadlineRule[] = Object.values(deadlineRules);

/**
 * The row of `id` in force on `periodStart`: of the rows valid that day, the one with the latest
 * `validFrom`; when none is (a period older than the data), the earliest row of that id.
 */
export function ruleInForce(id: DeadlineRuleId, periodStart: string, rows: readonly DeadlineRule[] = deadlineRuleRows): DeadlineRule {
  const candidates = rows.filter((row) => row.id === id);
  const valid = candidates.filter((row) => (!row.validFrom || row.validFrom <= periodStart) && (!row.validTo || periodStart <= row.validTo));
  const byStart = (a: DeadlineRule, b: DeadlineRule) => (a.validFrom ?? "").localeCompare(b.validFrom ?? "");
  const chosen = valid.sort(byStart).at(-1) ?? candidates.sort(byStart)[0];
  if (!chosen) throw new RangeError(`no deadline rule ${id}`);
  return chosen;
}
