/**
 * Statutory time limits as data, each with its legal basis (legal-rules notes). When a law changes, a
 * row changes here; the engine has no numbers of its own.
 */

export type DayUnit = "calendar" | "working";

/** What a case is, for the limits that depend on it. */
export interface CaseCircumstances {
  /** phức tạp */
  complex: boolean;
  /** vùng sâu, vùng xa, đi lại khó khăn */
  remoteArea: boolean;
}

export interface ExtensionPolicy {
  /** How many extensions the case may have; depends on how complex it is. */
  maxCount: (complexity: DenunciationComplexity) => number;
  /** Longest single extension, in the rule's unit. */
  maxDaysEach: number;
  basis: string;
}

export type DenunciationComplexity = "normal" | "complex" | "especiallyComplex";

export interface DeadlineRule {
  id: DeadlineRuleId;
  /** Short description in Vietnamese, shown on the case page. */
  label: string;
  basis: string;
  unit: DayUnit;
  /** The event whose date starts the count (that day itself is not counted). */
  trigger: "received" | "accepted" | "acceptanceDecision" | "firstRoundEnded" | "knewOfDecision";
  days: (circumstances: CaseCircumstances) => number;
  extensions?: ExtensionPolicy;
}

export type DeadlineRuleId =
  | "complaint.fileFirstRound"
  | "complaint.acceptFirstRound"
  | "complaint.resolveFirstRound"
  | "complaint.fileSecondRound"
  | "complaint.resolveSecondRound"
  | "denunciation.notifyAcceptance"
  | "denunciation.initialCheck"
  | "denunciation.resolve"
  | "petition.keepIneligible";

/** Picks the day count from the four variants the Law on Complaints uses. */
const byCircumstances =
  (base: number, complex: number, remote: number, complexRemote: number) =>
  ({ complex: isComplex, remoteArea }: CaseCircumstances) =>
    isComplex && remoteArea ? complexRemote : isComplex ? complex : remoteArea ? remote : base;

export const deadlineRules: Record<DeadlineRuleId, DeadlineRule> = {
  "complaint.fileFirstRound": {
    id: "complaint.fileFirstRound",
    label: "Thời hiệu khiếu nại lần đầu",
    basis: "Luật Khiếu nại 2011, Điều 9",
    unit: "calendar",
    trigger: "knewOfDecision",
    days: () => 90,
  },
  "complaint.acceptFirstRound": {
    id: "complaint.acceptFirstRound",
    label: "Thụ lý khiếu nại lần đầu",
    basis: "Luật Khiếu nại 2011, Điều 27",
    unit: "calendar",
    trigger: "received",
    days: () => 10,
  },
  "complaint.resolveFirstRound": {
    id: "complaint.resolveFirstRound",
    label: "Giải quyết khiếu nại lần đầu",
    basis: "Luật Khiếu nại 2011, Điều 28",
    unit: "calendar",
    trigger: "accepted",
    days: byCircumstances(30, 45, 45, 60),
  },
  "complaint.fileSecondRound": {
    id: "complaint.fileSecondRound",
    label: "Thời hạn khiếu nại lần hai",
    basis: "Luật Khiếu nại 2011, Điều 33",
    unit: "calendar",
    trigger: "firstRoundEnded",
    days: ({ remoteArea }) => (remoteArea ? 45 : 30),
  },
  "complaint.resolveSecondRound": {
    id: "complaint.resolveSecondRound",
    label: "Giải quyết khiếu nại lần hai",
    basis: "Luật Khiếu nại 2011, Điều 37",
    unit: "calendar",
    trigger: "accepted",
    days: byCircumstances(45, 60, 60, 70),
  },
  "denunciation.notifyAcceptance": {
    id: "denunciation.notifyAcceptance",
    label: "Thông báo thụ lý tố cáo",
    basis: "Luật Tố cáo 2018, Điều 29",
    unit: "working",
    trigger: "acceptanceDecision",
    days: () => 5,
  },
  "denunciation.initialCheck": {
    id: "denunciation.initialCheck",
    label: "Kiểm tra điều kiện thụ lý tố cáo",
    // Only a secondary source was found for this limit; treat as indicative until confirmed.
    basis: "Luật Tố cáo 2018, Điều 24 (theo nguồn thứ cấp, cần đối chiếu)",
    unit: "working",
    trigger: "received",
    days: () => 7,
  },
  "denunciation.resolve": {
    id: "denunciation.resolve",
    label: "Giải quyết tố cáo",
    basis: "Luật Tố cáo 2018, Điều 30",
    unit: "calendar",
    trigger: "accepted",
    days: () => 30,
    extensions: {
      maxCount: (complexity) => (complexity === "especiallyComplex" ? 2 : complexity === "complex" ? 1 : 0),
      maxDaysEach: 30,
      basis: "Luật Tố cáo 2018, Điều 30 khoản 1",
    },
  },
  "petition.keepIneligible": {
    id: "petition.keepIneligible",
    label: "Lưu đơn không đủ điều kiện xử lý",
    basis: "Thông tư 05/2021/TT-TTCP; Thông tư 53/2015/TT-BTNMT Điều 24",
    unit: "calendar",
    trigger: "received",
    // "1 năm", counted as 365 days.
    days: () => 365,
  },
};
