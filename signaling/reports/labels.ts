import type { CaseStatistics } from "../services/cases/caseStatistics";

/** Rows of the report, in the order and wording of Vietnamese periodic reports. */
export function reportRows(stats: CaseStatistics): [string, number][] {
  return [
    ["Số lượt tiếp công dân", stats.receptions.visits],
    ["— Số người được tiếp", stats.receptions.people],
    ["— Số đoàn đông người", stats.receptions.groupVisits],
    ["Tổng số đơn tiếp nhận", stats.received],
    ["— Khiếu nại", stats.byKind.complaint ?? 0],
    ["— Tố cáo", stats.byKind.denunciation ?? 0],
    ["— Kiến nghị", stats.byKind.recommendation ?? 0],
    ["— Phản ánh", stats.byKind.feedback ?? 0],
    ["Đơn thuộc thẩm quyền", stats.withinCompetence],
    ["Đơn đã thụ lý", stats.accepted],
    ["Đã giải quyết (có kết luận, quyết định)", stats.resolved],
    ["— Giải quyết đúng hạn", stats.resolvedOnTime],
    ["— Giải quyết quá hạn", stats.resolvedLate],
    ["Đang giải quyết đã quá hạn", stats.overdueOpen],
    ["Kết quả: đúng", stats.outcomes.right],
    ["Kết quả: đúng một phần", stats.outcomes.partlyRight],
    ["Kết quả: sai", stats.outcomes.wrong],
  ];
}

export const reportTitle = (stats: CaseStatistics) => `BÁO CÁO TIẾP CÔNG DÂN, XỬ LÝ ĐƠN THƯ — ${stats.period.label.toUpperCase()}`;

export const formatVnDate = (iso: string) => iso.split("-").reverse().join("/");
