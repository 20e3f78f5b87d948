import type { Db } from "../../db/client";
import type { ReportPeriod } from "../../domain/cases/reportPeriod";
import { type Actor, authorize, reportPolicy } from "../../policies";
import type { SignatureOutcome, SigningMode } from "../../protocol";
import { caseReportPdf } from "../../reports/caseReportPdf";
import { caseReportXlsx } from "../../reports/caseReportXlsx";
import { type DocumentSigner, signIssued } from "../../signing/DocumentSigner";
import { type CaseStatistics, caseStatistics } from "../cases/caseStatistics";

const CONTENT_TYPES = { xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", pdf: "application/pdf" } as const;

/** Petition figures for the dashboard and the periodic reports, for those the report policy lets read them. */
export class ReportService {
  constructor(private readonly db: Db, private readonly signer?: DocumentSigner) {}

  async caseStatistics(actor: Actor, period: ReportPeriod): Promise<CaseStatistics> {
    authorize(reportPolicy.read(actor));
    return caseStatistics(this.db, actor, period);
  }

  /**
   * The periodic report of the actor's units as XLSX or PDF. The PDF is the report the unit sends up:
   * signed with the actor's unit's certificate when it has one (`mode`: see DocumentSigner); a
   * spreadsheet is a working file and is not signed.
   */
  async caseReportFile(
    actor: Actor,
    period: ReportPeriod,
    format: "xlsx" | "pdf",
    meta: { ip: string },
    mode: SigningMode = "auto",
  ): Promise<{ file: Buffer; fileName: string; contentType: string; signature?: SignatureOutcome }> {
    const stats = await this.caseStatistics(actor, period);
    const fileName = `bao-cao-don-thu-${period.id}.${format}`;
    if (format === "xlsx") return { file: await caseReportXlsx(stats), fileName, contentType: CONTENT_TYPES.xlsx };
    const signed = await signIssued(this.signer, await caseReportPdf(stats), {
      unitId: actor.unitId,
      reason: "Báo cáo công tác tiếp công dân, xử lý đơn thư",
      mode,
      audit: { actorId: actor.id, ip: meta.ip, subjectType: "report", subjectId: period.id },
    });
    return { file: signed.file, fileName, contentType: CONTENT_TYPES.pdf, signature: signed.signature };
  }
}
