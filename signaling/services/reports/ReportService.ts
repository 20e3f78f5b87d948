import type { Db } from "../../db/client";
import type { ReportPeriod } from "../../domain/cases/reportPeriod";
import { type Actor, authorize, reportPolicy } from "../../policies";
import { type CaseStatistics, caseStatistics } from "../cases/caseStatistics";

/** Petition figures for the dashboard and the periodic reports, for those the report policy lets read them. */
export class ReportService {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  async caseStatistics(actor: Actor, period: ReportPeriod): Promise<CaseStatistics> {
    authorize(reportPolicy.read(actor));
    return caseStatistics(this.#db, actor, period);
  }
}
