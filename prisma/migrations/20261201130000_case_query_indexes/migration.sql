-- DropIndex
DROP INDEX "Case_assigneeId_idx";

-- CreateIndex
CREATE INDEX "Case_unitId_state_dueDate_idx" ON "Case"("unitId", "state", "dueDate");

-- CreateIndex
CREATE INDEX "Case_assigneeId_dueDate_idx" ON "Case"("assigneeId", "dueDate");

-- CreateIndex
CREATE INDEX "CaseEvent_caseId_action_idx" ON "CaseEvent"("caseId", "action");
