import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { BookingDto, SlotDto } from "../../../signaling/protocol";
import { downloadWithToken } from "../api/download";
import { useApi } from "../api/useApi";
import { ErrorMessage } from "../components/ErrorMessage";
import { type Column, DataTable } from "../components/list/DataTable";
import { may } from "../access";
import { useSession } from "../session";
import { formatViDayLabel, formatViTimeRange, plusDays, todayInVietnam, vietnamDay } from "../dates";
import { ReceptionTabs } from "./ReceptionTabs";
import { PageUnitSelect } from "./PageUnitSelect";
import { useScopeUnits } from "../admin/useScopeUnits";
import { DateField } from "../components/DateField";
import { currentLocale } from "../i18n";

/** A unit's slots day by day, how full they are, and (for staff who receive) who booked them. */
export function SlotsPage() {
  const { t } = useTranslation();
  const [auth] = useSession();
  const { ownId, units } = useScopeUnits();
  const [unitId, setUnitId] = useState("");
  const [range, setRange] = useState({ from: todayInVietnam(), to: plusDays(todayInVietnam(), 14) });
  const [openSlot, setOpenSlot] = useState<string | null>(null);
  const [onlyBooked, setOnlyBooked] = useState(false);
  const shownUnit = unitId || ownId;
  const { data, errorCode } = useApi<{ items: SlotDto[] }>(`/reception/slots?unitId=${encodeURIComponent(shownUnit)}&from=${range.from}&to=${range.to}`);
  const mayReadBookings = may.readSlotBookings(auth.user);

  const days = new Map<string, SlotDto[]>();
  for (const slot of (data?.items ?? []).filter((item) => !onlyBooked || item.booked > 0)) days.set(vietnamDay(slot.startsAt), [...(days.get(vietnamDay(slot.startsAt)) ?? []), slot]);

  return (
    <section className="card admin-page" data-testid="reception-slots">
      <div className="page-head">
        <h1>{t("reception.slotsTitle")}</h1>
        <PageUnitSelect units={units} value={shownUnit} onChange={setUnitId} />
      </div>
      <ReceptionTabs />
      <div className="filters list-filters">
        <label className="filter-date">
          {t("reception.from")}
          <DateField value={range.from} onChange={(from) => setRange({ ...range, from })} />
        </label>
        <label className="filter-date">
          {t("reception.to")}
          <DateField value={range.to} onChange={(to) => setRange({ ...range, to })} />
        </label>
        <label className="inline-check">
          <input type="checkbox" checked={onlyBooked} onChange={(e) => setOnlyBooked(e.target.checked)} data-testid="slots-only-booked" />
          {t("reception.onlyBooked")}
        </label>
      </div>
      <ErrorMessage code={errorCode} />
      {data?.items.length === 0 && <p className="hint">{t("reception.noSlots")}</p>}
      {[...days.values()].map((slots) => (
        <section key={slots[0]!.startsAt} className="slot-day">
          <h2>{formatViDayLabel(slots[0]!.startsAt, currentLocale())}</h2>
          <ul className="staff-slots">
            {slots.map((slot) => (
              <li key={slot.id} data-testid="staff-slot" data-booked={slot.booked}>
                <div className="staff-slot-head">
                  <strong>{formatViTimeRange(slot.startsAt, slot.endsAt)}</strong>
                  <span>{t(`booking.modes.${slot.mode}`)}</span>
                  <span className="muted">{slot.scheduleTitle}</span>
                  <span className={slot.booked >= slot.capacity ? "tag" : "muted"}>{t("reception.bookedOf", { booked: slot.booked, capacity: slot.capacity })}</span>
                  {mayReadBookings && slot.booked > 0 && (
                    <button type="button" className="link-button" data-testid="slot-bookings-toggle" onClick={() => setOpenSlot(openSlot === slot.id ? null : slot.id)}>
                      {openSlot === slot.id ? t("reception.hideBookings") : t("reception.showBookings")}
                    </button>
                  )}
                </div>
                {openSlot === slot.id && <SlotBookings slotId={slot.id} />}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </section>
  );
}

function SlotBookings({ slotId }: { slotId: string }) {
  const { t } = useTranslation();
  const [, session] = useSession();
  const { data, errorCode } = useApi<{ items: BookingDto[] }>(`/reception/slots/${slotId}/bookings`);
  const [downloadError, setDownloadError] = useState<string | null>(null);

  const download = async (booking: BookingDto, file: BookingDto["attachments"][number]) => {
    const ok = await downloadWithToken(`/api/reception/bookings/${booking.id}/attachments/${file.id}`, session.accessToken, file.originalName);
    if (!ok) setDownloadError("INTERNAL");
  };

  const columns: Column<BookingDto>[] = [
    { id: "code", header: t("booking.code"), cell: (booking) => booking.code },
    {
      id: "fullName",
      header: t("booking.fields.fullName"),
      cell: (booking) => (
        <>
          {booking.fullName}
          {booking.address && <div className="muted">{booking.address}</div>}
          {booking.cccd && <div className="muted">CCCD {booking.cccd}</div>}
        </>
      ),
    },
    { id: "phone", header: t("booking.fields.phone"), cell: (booking) => booking.phone ?? "—" },
    { id: "petitionKind", header: t("booking.fields.petitionKind"), cell: (booking) => t(`caseKinds.${booking.petitionKind}`) },
    {
      id: "content",
      header: t("booking.fields.content"),
      cell: (booking) => (
        <>
          <span className="case-content">{booking.content}</span>
          {booking.attachments.map((file) => (
            <div key={file.id}>
              <button type="button" className="link-button" onClick={() => void download(booking, file)}>
                {file.originalName}
              </button>
            </div>
          ))}
        </>
      ),
    },
    { id: "status", header: t("reception.status"), cell: (booking) => t(`reception.bookingStatus.${booking.status}`) },
  ];

  return (
    <>
      <ErrorMessage code={downloadError} />
      <DataTable
        columns={columns}
        rows={data?.items ?? null}
        rowKey={(booking) => booking.id}
        rowAttributes={(booking) => ({ "data-testid": "booking-row", "data-code": booking.code, "data-status": booking.status })}
        empty={t("booking.noneOnSlot")}
        errorCode={errorCode}
      />
    </>
  );
}
