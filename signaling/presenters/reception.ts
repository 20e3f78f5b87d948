import {
  type BookingDto,
  bookingStatusSchema,
  caseKindSchema,
  confirmationMethodSchema,
  type EntryDto,
  handlingSchema,
  receptionKindSchema,
  type ScheduleDto,
  type SessionDto,
  sessionShapeSchema,
  sessionStatusSchema,
  sessionUnitRoleSchema,
  type SlotDto,
  slotModeSchema,
} from "../protocol";
import { maskIdentityInText, PROTECTED_DENOUNCER_NAME } from "./case";

const iso = (date: Date | null) => date?.toISOString() ?? null;
const kindOrNull = (value: string | null) => {
  const parsed = caseKindSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
};

interface ScheduleRow {
  id: string;
  unitId: string;
  title: string;
  kind: string;
  leaderUserId: string | null;
  rule: string | null;
  startTime: string;
  endTime: string;
  slotMinutes: number;
  capacityPerSlot: number;
  active: boolean;
  createdAt: Date;
  unit: { name: string };
}

export function presentSchedule(row: ScheduleRow, leaderName: string | null): ScheduleDto {
  return {
    id: row.id,
    unitId: row.unitId,
    unitName: row.unit.name,
    title: row.title,
    kind: receptionKindSchema.parse(row.kind),
    leaderUserId: row.leaderUserId,
    leaderName,
    rule: row.rule,
    startTime: row.startTime,
    endTime: row.endTime,
    slotMinutes: row.slotMinutes,
    capacityPerSlot: row.capacityPerSlot,
    active: row.active,
    createdAt: row.createdAt.toISOString(),
  };
}

interface SlotRow {
  id: string;
  scheduleId: string;
  unitId: string;
  startsAt: Date;
  endsAt: Date;
  capacity: number;
  booked: number;
  mode: string;
  schedule: { title: string; kind: string };
  unit: { name: string };
}

export function presentSlot(row: SlotRow): SlotDto {
  return {
    id: row.id,
    scheduleId: row.scheduleId,
    scheduleTitle: row.schedule.title,
    kind: receptionKindSchema.parse(row.schedule.kind),
    unitId: row.unitId,
    unitName: row.unit.name,
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    capacity: row.capacity,
    booked: row.booked,
    mode: slotModeSchema.parse(row.mode),
  };
}

interface BookingRow {
  id: string;
  code: string;
  slotId: string;
  unitId: string;
  fullName: string;
  cccd: string;
  phone: string;
  address: string;
  petitionKind: string;
  content: string;
  status: string;
  joinTokenUsedAt: Date | null;
  createdAt: Date;
  cancelledAt: Date | null;
  attachments: { id: string; originalName: string; mimeType: string; size: number; createdAt: Date }[];
}

/**
 * A booking for reception staff. For a denunciation without the identity right, the citizen comes back
 * as the protected label with no personal data, and their files are withheld (they can reveal them).
 */
export function presentBooking(row: BookingRow, mayReadIdentity: boolean): BookingDto {
  const identity = mayReadIdentity
    ? { fullName: row.fullName, cccd: row.cccd, phone: row.phone, address: row.address }
    : { fullName: PROTECTED_DENOUNCER_NAME, cccd: null, phone: null, address: null };
  return {
    id: row.id,
    code: row.code,
    slotId: row.slotId,
    unitId: row.unitId,
    ...identity,
    petitionKind: caseKindSchema.parse(row.petitionKind),
    content: mayReadIdentity ? row.content : maskIdentityInText(row.content, [row.fullName, row.cccd, row.phone, row.address]),
    status: bookingStatusSchema.parse(row.status),
    joinLinkUsed: row.joinTokenUsedAt !== null,
    createdAt: row.createdAt.toISOString(),
    cancelledAt: iso(row.cancelledAt),
    identityProtected: !mayReadIdentity,
    attachments: mayReadIdentity
      ? row.attachments.map((file) => ({ id: file.id, originalName: file.originalName, mimeType: file.mimeType, size: file.size, createdAt: file.createdAt.toISOString() }))
      : [],
  };
}

interface SessionRow {
  id: string;
  unitId: string;
  roomId: string;
  shape: string;
  kind: string;
  hostUserId: string;
  bookingId: string | null;
  status: string;
  consentAt: Date | null;
  consentGiven: boolean | null;
  recordingId: string | null;
  caseId: string | null;
  startedAt: Date | null;
  endedAt: Date | null;
  createdAt: Date;
  declaredKind: string | null;
  identityProtected: boolean;
  unit: { name: string };
  booking: { code: string; petitionKind: string } | null;
  units: { unitId: string; role: string; unit: { name: string } }[];
}

export function presentSession(row: SessionRow): SessionDto {
  return {
    id: row.id,
    unitId: row.unitId,
    unitName: row.unit.name,
    roomId: row.roomId,
    shape: sessionShapeSchema.parse(row.shape),
    kind: receptionKindSchema.parse(row.kind),
    hostUserId: row.hostUserId,
    bookingId: row.bookingId,
    bookingCode: row.booking?.code ?? null,
    petitionKind: row.identityProtected ? "denunciation" : kindOrNull(row.booking?.petitionKind ?? row.declaredKind),
    identityProtected: row.identityProtected,
    status: sessionStatusSchema.parse(row.status),
    consentAt: iso(row.consentAt),
    consentGiven: row.consentGiven,
    recordingId: row.recordingId,
    caseId: row.caseId,
    startedAt: iso(row.startedAt),
    endedAt: iso(row.endedAt),
    createdAt: row.createdAt.toISOString(),
    units: row.units.map((item) => ({ unitId: item.unitId, name: item.unit.name, role: sessionUnitRoleSchema.parse(item.role) })),
  };
}

export interface EntryRow {
  id: string;
  unitId: string;
  sessionId: string | null;
  bookingId: string | null;
  receivedAt: Date;
  kind: string;
  receivingOfficerUserId: string;
  receivingOfficerName: string;
  leaderUserId: string | null;
  leaderName: string | null;
  peopleCount: number;
  content: string;
  dossier: string | null;
  handling: string;
  handlingNote: string | null;
  petitionKind: string | null;
  caseId: string | null;
  citizenConfirmedAt: Date | null;
  confirmationMethod: string | null;
  conclusion: string | null;
  conclusionIssuedAt: Date | null;
  createdAt: Date;
  unit: { name: string };
  citizens: { id: string; fullName: string; address: string; cccd: string | null; phone: string | null }[];
  session?: { units: { role: string; unit: { name: string } }[] } | null;
}

/**
 * A reception book entry as this reader may see it: for a denunciation without the identity right, each
 * citizen is the protected label with no address, ID number or phone. Exports use the same shape.
 */
export function presentEntry(row: EntryRow, mayReadIdentity: boolean): EntryDto {
  const method = confirmationMethodSchema.safeParse(row.confirmationMethod);
  // The masked citizens' identity also leaves the entry's free text.
  const hidden = mayReadIdentity ? [] : row.citizens.flatMap((citizen) => [citizen.fullName, citizen.cccd, citizen.phone, citizen.address]);
  const text = <T extends string | null>(value: T): T => (value === null ? value : (maskIdentityInText(value, hidden) as T));
  return {
    id: row.id,
    unitId: row.unitId,
    unitName: row.unit.name,
    sessionId: row.sessionId,
    bookingId: row.bookingId,
    receivedAt: row.receivedAt.toISOString(),
    kind: receptionKindSchema.parse(row.kind),
    receivingOfficerUserId: row.receivingOfficerUserId,
    receivingOfficerName: row.receivingOfficerName,
    leaderUserId: row.leaderUserId,
    leaderName: row.leaderName,
    peopleCount: row.peopleCount,
    content: text(row.content),
    dossier: text(row.dossier),
    handling: handlingSchema.parse(row.handling),
    handlingNote: text(row.handlingNote),
    petitionKind: kindOrNull(row.petitionKind),
    caseId: row.caseId,
    citizenConfirmedAt: iso(row.citizenConfirmedAt),
    confirmationMethod: method.success ? method.data : null,
    conclusion: text(row.conclusion),
    conclusionIssuedAt: iso(row.conclusionIssuedAt),
    createdAt: row.createdAt.toISOString(),
    citizens: row.citizens.map((citizen) =>
      mayReadIdentity
        ? { id: citizen.id, fullName: citizen.fullName, address: citizen.address, cccd: citizen.cccd, phone: citizen.phone }
        : { id: citizen.id, fullName: PROTECTED_DENOUNCER_NAME, address: null, cccd: null, phone: null },
    ),
    identityProtected: !mayReadIdentity,
    places: (row.session?.units ?? []).map((place) => ({ name: place.unit.name, role: sessionUnitRoleSchema.parse(place.role) })),
  };
}
