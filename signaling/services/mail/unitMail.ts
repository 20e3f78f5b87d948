import type { Db } from "../../db/client";
import type { MailContent, Person } from "../../domain/mail/templates";
import type { RoleHolder } from "../../policies";
import { rolesOf } from "../../presenters/user";
import { enqueueMail } from "./MailQueue";
import { mailEnabled } from "./MailSettingsService";

/**
 * Mail to the accounts of some units — the seam for the directives' moments (a directive assigned to a
 * unit, a task's D-3 / D / overdue reminder): call it in the transaction that records the moment, with a
 * template of domain/mail/templates.ts, e.g.
 *
 *   await enqueueMailToUnits(tx, { unitIds: [task.unitId], kind: "directive", recipients: directivePolicy.toldOfUnitTasks,
 *     compose: (to) => directiveAssignedMail({ directive, unitName, due, link, recipient: to }),
 *     dedupeKey: (userId) => `directive:${task.id}:${userId}` });
 *
 * Active accounts with an address only, those the `recipients` rule (a policy's) accepts, each address
 * once; nothing while mail is off. Returns how many
 * messages were queued (a repeated dedupe key adds none).
 */
export async function enqueueMailToUnits(
  tx: Pick<Db, "user" | "mailSettings" | "mailMessage">,
  input: { unitIds: readonly string[]; kind: string; compose: (recipient: Person) => MailContent; recipients?: (account: RoleHolder) => boolean; dedupeKey?: (userId: string) => string },
): Promise<number> {
  if (input.unitIds.length === 0 || !(await mailEnabled(tx))) return 0;
  const users = await tx.user.findMany({
    where: { unitId: { in: [...input.unitIds] }, active: true, email: { not: null } },
    select: { id: true, displayName: true, email: true, roles: { select: { role: true } } },
    orderBy: { username: "asc" },
  });
  const seen = new Set<string>();
  let queued = 0;
  for (const user of users) {
    // The role rule is the policy's, asked per account: a unit has tens of accounts, not thousands.
    if (input.recipients && !input.recipients({ roles: rolesOf(user) })) continue;
    const key = user.email!.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    const recipient = { name: user.displayName, email: user.email! };
    if (await enqueueMail(tx, { kind: input.kind, to: { ...recipient, userId: user.id }, content: input.compose(recipient), dedupeKey: input.dedupeKey?.(user.id) })) queued++;
  }
  return queued;
}
