import { hashPassword } from "../signaling/auth/passwords";
import { loadConfig } from "../signaling/config";
import { createDb, type Db } from "../signaling/db/client";
import { calendarSeeds } from "../signaling/domain/deadlines";
import { childPath, rootPath } from "../signaling/domain/unitTree";
import type { Role } from "../signaling/protocol";
import { seedReception } from "./seedReception";

/** Password of every demo account (README lists them). Demo only: production start refuses demo secrets. */
export const DEMO_PASSWORD = "cau-noi-demo-2026";

interface UnitSeed {
  code: string;
  name: string;
  kind: string;
  children?: UnitSeed[];
}

/**
 * A two-tier province as after the 1 Jul 2025 reform: the province, its departments and 42 of its
 * communes and wards — enough sites to rehearse a province-wide briefing.
 */
const province: UnitSeed = {
  code: "BN",
  name: "UBND tỉnh Bắc Ninh",
  kind: "province",
  children: [
    { code: "BN-VP", name: "Văn phòng UBND tỉnh", kind: "department" },
    { code: "BN-TT", name: "Thanh tra tỉnh", kind: "department" },
    { code: "BN-SNV", name: "Sở Nội vụ", kind: "department" },
    { code: "BN-STC", name: "Sở Tài chính", kind: "department" },
    { code: "BN-SNNMT", name: "Sở Nông nghiệp và Môi trường", kind: "department" },
    { code: "BN-SYT", name: "Sở Y tế", kind: "department" },
    { code: "BN-KINHBAC", name: "UBND phường Kinh Bắc", kind: "ward" },
    { code: "BN-VOCUONG", name: "UBND phường Võ Cường", kind: "ward" },
    { code: "BN-TUSON", name: "UBND phường Từ Sơn", kind: "ward" },
    { code: "BN-DONGNGAN", name: "UBND phường Đông Ngàn", kind: "ward" },
    { code: "BN-BACGIANG", name: "UBND phường Bắc Giang", kind: "ward" },
    { code: "BN-YENPHONG", name: "UBND xã Yên Phong", kind: "commune" },
    { code: "BN-TIENDU", name: "UBND xã Tiên Du", kind: "commune" },
    { code: "BN-QUEVO", name: "UBND xã Quế Võ", kind: "commune" },
    { code: "BN-GIABINH", name: "UBND xã Gia Bình", kind: "commune" },
    { code: "BN-LUONGTAI", name: "UBND xã Lương Tài", kind: "commune" },
    { code: "BN-LUCNGAN", name: "UBND xã Lục Ngạn", kind: "commune" },
    { code: "BN-SONDONG", name: "UBND xã Sơn Động", kind: "commune" },
    { code: "BN-SUOIHOA", name: "UBND phường Suối Hoa", kind: "ward" },
    { code: "BN-VUNINH", name: "UBND phường Vũ Ninh", kind: "ward" },
    { code: "BN-HAPLINH", name: "UBND phường Hạp Lĩnh", kind: "ward" },
    { code: "BN-NAMSON", name: "UBND phường Nam Sơn", kind: "ward" },
    { code: "BN-PHUONGLIEU", name: "UBND phường Phương Liễu", kind: "ward" },
    { code: "BN-CHU", name: "UBND phường Chũ", kind: "ward" },
    { code: "BN-VIETYEN", name: "UBND phường Việt Yên", kind: "ward" },
    { code: "BN-NENH", name: "UBND phường Nếnh", kind: "ward" },
    { code: "BN-TULAN", name: "UBND phường Tự Lạn", kind: "ward" },
    { code: "BN-YENDUNG", name: "UBND phường Yên Dũng", kind: "ward" },
    { code: "BN-DAMAI", name: "UBND phường Đa Mai", kind: "ward" },
    { code: "BN-TAMSON", name: "UBND phường Tam Sơn", kind: "ward" },
    { code: "BN-PHULANG", name: "UBND xã Phù Lãng", kind: "commune" },
    { code: "BN-NHANTHANG", name: "UBND xã Nhân Thắng", kind: "commune" },
    { code: "BN-CAODUC", name: "UBND xã Cao Đức", kind: "commune" },
    { code: "BN-TRUNGCHINH", name: "UBND xã Trung Chính", kind: "commune" },
    { code: "BN-LAMTHAO", name: "UBND xã Lâm Thao", kind: "commune" },
    { code: "BN-TAMGIANG", name: "UBND xã Tam Giang", kind: "commune" },
    { code: "BN-VANMON", name: "UBND xã Văn Môn", kind: "commune" },
    { code: "BN-PHATTICH", name: "UBND xã Phật Tích", kind: "commune" },
    { code: "BN-LIENBAO", name: "UBND xã Liên Bão", kind: "commune" },
    { code: "BN-TANCHI", name: "UBND xã Tân Chi", kind: "commune" },
    { code: "BN-LANGGIANG", name: "UBND xã Lạng Giang", kind: "commune" },
    { code: "BN-TANYEN", name: "UBND xã Tân Yên", kind: "commune" },
    { code: "BN-HIEPHOA", name: "UBND xã Hiệp Hòa", kind: "commune" },
    { code: "BN-LUCNAM", name: "UBND xã Lục Nam", kind: "commune" },
    { code: "BN-YENTHE", name: "UBND xã Yên Thế", kind: "commune" },
    { code: "BN-KEP", name: "UBND xã Kép", kind: "commune" },
    { code: "BN-MYTHAI", name: "UBND xã Mỹ Thái", kind: "commune" },
    { code: "BN-XUANLUONG", name: "UBND xã Xuân Lương", kind: "commune" },
  ],
};

/** One account per role, plus a commune admin and officer to show scoped administration. */
export const demoAccounts: { username: string; displayName: string; unit: string; roles: Role[] }[] = [
  { username: "admin", displayName: "Quản trị hệ thống tỉnh", unit: "BN", roles: ["admin"] },
  { username: "lanhdao", displayName: "Chủ tịch UBND tỉnh", unit: "BN", roles: ["leader"] },
  { username: "canbo", displayName: "Cán bộ tiếp công dân tỉnh", unit: "BN-VP", roles: ["officer"] },
  { username: "thanhtra", displayName: "Thanh tra viên", unit: "BN-TT", roles: ["inspector"] },
  { username: "diemcau-kinhbac", displayName: "Điểm cầu phường Kinh Bắc", unit: "BN-KINHBAC", roles: ["site"] },
  { username: "xem", displayName: "Người xem", unit: "BN-SNV", roles: ["viewer"] },
  { username: "admin-yenphong", displayName: "Quản trị xã Yên Phong", unit: "BN-YENPHONG", roles: ["admin"] },
  { username: "canbo-yenphong", displayName: "Cán bộ xã Yên Phong", unit: "BN-YENPHONG", roles: ["officer"] },
];

async function upsertUnit(db: Db, seed: UnitSeed, parent: { id: string; path: string } | null): Promise<void> {
  const existing = await db.unit.findUnique({ where: { code: seed.code } });
  const unit =
    existing ??
    (await db.unit.create({ data: { code: seed.code, name: seed.name, kind: seed.kind, parentId: parent?.id ?? null, path: "pending" } }));
  const path = parent ? childPath(parent.path, unit.id) : rootPath(unit.id);
  if (unit.path !== path) await db.unit.update({ where: { id: unit.id }, data: { path } });
  for (const child of seed.children ?? []) await upsertUnit(db, child, { id: unit.id, path });
}

/** Demo data for `npm run demo`. Idempotent: a second run adds nothing and changes nothing. */
async function seed(): Promise<void> {
  const db = createDb(loadConfig().databaseUrl);
  try {
    await upsertUnit(db, province, null);
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    let created = 0;
    for (const account of demoAccounts) {
      if (await db.user.findUnique({ where: { username: account.username } })) continue;
      const unit = await db.unit.findUniqueOrThrow({ where: { code: account.unit } });
      await db.user.create({
        data: {
          username: account.username,
          displayName: account.displayName,
          unitId: unit.id,
          passwordHash,
          roles: { create: account.roles.map((role) => ({ role })) },
        },
      });
      created++;
    }
    // Every commune and ward gets a meeting-site account (diemcau-<code>), named by its unit in rooms.
    for (const site of province.children ?? []) {
      if (site.kind !== "commune" && site.kind !== "ward") continue;
      const username = `diemcau-${site.code.slice(3).toLowerCase()}`;
      if (await db.user.findUnique({ where: { username } })) continue;
      const unit = await db.unit.findUniqueOrThrow({ where: { code: site.code } });
      await db.user.create({ data: { username, displayName: `Điểm cầu ${site.name.replace(/^UBND /, "")}`, unitId: unit.id, passwordHash, roles: { create: [{ role: "site" }] } } });
      created++;
    }
    await db.meeting.upsert({
      where: { roomId: "giao-ban-demo" },
      create: { roomId: "giao-ban-demo", title: "Giao ban trực tuyến UBND tỉnh (demo)" },
      update: {},
    });
    // Days off for working-day deadlines; an admin's later edit is kept (update is empty).
    for (const holiday of calendarSeeds) {
      await db.holiday.upsert({ where: { date: holiday.date }, create: { date: holiday.date, name: holiday.name, kind: holiday.kind }, update: {} });
    }
    // After the days off: reception slots skip them.
    const reception = await seedReception(db);
    const units = await db.unit.count();
    const holidays = await db.holiday.count();
    console.log(`seed: ${units} units, ${created} new demo accounts (password ${DEMO_PASSWORD}), ${holidays} holidays, demo meeting giao-ban-demo, ${reception.slots} new reception slots`);
  } finally {
    await db.$disconnect();
  }
}

if (process.argv[1]?.endsWith("seed.ts")) {
  // Demo accounts share one published password: they exist only where the demo was asked for explicitly.
  if (process.env.CAU_NOI_DEMO !== "1" && !process.argv.includes("--demo")) {
    console.error("seed: refusing to create demo accounts outside the demo (set CAU_NOI_DEMO=1 or pass --demo)");
    process.exit(2);
  }
  seed().catch((error: unknown) => {
    console.error("seed failed:", error);
    process.exit(1);
  });
}
