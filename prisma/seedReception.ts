import { createMissingSlots } from "../signaling/services/reception/schedules";
import type { Db } from "../signaling/db/client";
import { addDays, vietnamDateOf } from "../signaling/domain/deadlines";

interface ScheduleSeed {
  unitCode: string;
  title: string;
  kind: "regular" | "periodic";
  rule: string;
  leaderUsername?: string;
  startTime: string;
  endTime: string;
  slotMinutes: number;
  capacityPerSlot: number;
  /** Slots are made from today for this many days, in these modes. */
  days: number;
  modes: ("online" | "office")[];
}

/**
 * Demo reception: the commune's regular desk (online and at the office) and the provincial chair's
 * monthly day. The commune has no periodic day of its chair on purpose: the schedules page shows the
 * legal-minimum warning for it.
 */
const schedules: ScheduleSeed[] = [
  {
    unitCode: "BN-YENPHONG",
    title: "Tiếp công dân thường xuyên — UBND xã Yên Phong",
    kind: "regular",
    rule: "daily",
    startTime: "08:00",
    endTime: "11:00",
    slotMinutes: 30,
    capacityPerSlot: 2,
    days: 21,
    modes: ["online", "office"],
  },
  {
    unitCode: "BN",
    title: "Chủ tịch UBND tỉnh tiếp công dân định kỳ",
    kind: "periodic",
    rule: "monthly:15",
    leaderUsername: "lanhdao",
    startTime: "08:00",
    endTime: "11:30",
    slotMinutes: 30,
    capacityPerSlot: 3,
    days: 62,
    modes: ["online", "office"],
  },
];

/** Idempotent: an existing schedule (same unit and title) is kept, and only missing slots are added. */
export async function seedReception(db: Db): Promise<{ schedules: number; slots: number }> {
  const today = vietnamDateOf(new Date());
  let slots = 0;
  for (const seed of schedules) {
    const unit = await db.unit.findUnique({ where: { code: seed.unitCode } });
    if (!unit) continue;
    const leader = seed.leaderUsername ? await db.user.findUnique({ where: { username: seed.leaderUsername } }) : null;
    const schedule =
      (await db.receptionSchedule.findFirst({ where: { unitId: unit.id, title: seed.title } })) ??
      (await db.receptionSchedule.create({
        data: {
          unitId: unit.id,
          title: seed.title,
          kind: seed.kind,
          rule: seed.rule,
          leaderUserId: leader?.id ?? null,
          startTime: seed.startTime,
          endTime: seed.endTime,
          slotMinutes: seed.slotMinutes,
          capacityPerSlot: seed.capacityPerSlot,
        },
      }));
    for (const mode of seed.modes) slots += (await createMissingSlots(db, schedule, { from: today, to: addDays(today, seed.days) }, mode)).created;
  }
  return { schedules: schedules.length, slots };
}
