import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { BookingDto, SessionDto, SlotDto } from "../../../signaling/protocol";
import { ApiError } from "../api/http";
import { useApi } from "../api/useApi";
import { useUnits } from "../admin/useUnits";
import { ErrorMessage } from "../components/ErrorMessage";
import { UnitOptions } from "../components/fields/UnitSelect";
import { formatViDateTime, plusDays, todayInVietnam } from "../dates";
import { ReceptionTabs } from "../reception/ReceptionTabs";
import { PageUnitSelect } from "../reception/PageUnitSelect";
import { useScopeUnits } from "../admin/useScopeUnits";
import { useSession } from "../session";

/** Bookings shown: today's and the coming week's (a citizen may be received earlier by arrangement). */
const BOOKINGS_AHEAD_DAYS = 7;
/** The room opens in the meeting page (pre-join check, then the reception panel beside the grid). */
const roomHref = (roomId: string) => `/?room=${encodeURIComponent(roomId)}`;

/**
 * Live receptions of a unit: open one for a citizen booked online today (direct), or for a citizen at
 * a local reception office with the agencies concerned and observers (office); enter its room.
 */
export function SessionsPage() {
  const { t } = useTranslation();
  const [, session] = useSession();
  const scope = useScopeUnits();
  const [unitId, setUnitId] = useState("");
  const unit = unitId || scope.ownId;
  const sessions = useApi<{ items: SessionDto[] }>(`/reception/sessions?unitId=${unit}`);
  const slots = useApi<{ items: SlotDto[] }>(`/reception/slots?unitId=${unit}&from=${todayInVietnam()}&to=${plusDays(todayInVietnam(), BOOKINGS_AHEAD_DAYS)}`);
  const [bookings, setBookings] = useState<(BookingDto & { slot: SlotDto })[]>([]);
  const [errorCode, setErrorCode] = useState<string | null>(null);
  const { units: allUnits } = useUnits(false);
  const [office, setOffice] = useState({ kind: "regular", officeUnitId: "", agencyUnitId: "", observerUnitId: "" });

  // Today's online bookings, each one a possible direct session.
  useEffect(() => {
    const online = (slots.data?.items ?? []).filter((slot) => slot.mode === "online" && slot.booked > 0);
    void Promise.all(
      online.map(async (slot) => {
        const { items } = await session.request<{ items: BookingDto[] }>("GET", `/reception/slots/${slot.id}/bookings`);
        return items.filter((booking) => booking.status === "booked" || booking.status === "admitted").map((booking) => ({ ...booking, slot }));
      }),
    ).then((lists) => setBookings(lists.flat()), () => setBookings([]));
  }, [slots.data, session]);

  const open = async (body: unknown) => {
    setErrorCode(null);
    try {
      const opened = await session.request<SessionDto>("POST", "/reception/sessions", body);
      window.location.assign(roomHref(opened.roomId));
    } catch (error) {
      setErrorCode(error instanceof ApiError ? error.code : "INTERNAL");
    }
  };
  const withSession = new Set((sessions.data?.items ?? []).map((item) => item.bookingId));
  const units = [
    ...(office.officeUnitId ? [{ unitId: office.officeUnitId, role: "office" }] : []),
    ...(office.agencyUnitId ? [{ unitId: office.agencyUnitId, role: "agency" }] : []),
    ...(office.observerUnitId ? [{ unitId: office.observerUnitId, role: "observer" }] : []),
  ];

  return (
    <section className="card admin-page" data-testid="reception-sessions">
      <ReceptionTabs />
      <h1>{t("receptionSessions.title")}</h1>
      <PageUnitSelect units={scope.units} value={unit} onChange={setUnitId} />
      <ErrorMessage code={errorCode ?? sessions.errorCode ?? slots.errorCode} />

      <h3>{t("receptionSessions.bookedToday")}</h3>
      {bookings.length === 0 ? (
        <p className="hint">{t("receptionSessions.noBookings")}</p>
      ) : (
        <ul className="plain-list">
          {bookings.map((booking) => (
            <li key={booking.id} data-testid="session-booking" data-code={booking.code}>
              {formatViDateTime(booking.slot.startsAt)} · <strong>{booking.fullName}</strong> · {booking.code}{" "}
              {!withSession.has(booking.id) && (
                <button type="button" className="primary" data-testid="open-direct" onClick={() => void open({ unitId: unit, shape: "direct", kind: booking.slot.kind, bookingId: booking.id })}>
                  {t("receptionSessions.openDirect")}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}

      <h3>{t("receptionSessions.officeTitle")}</h3>
      <form
        className="filters"
        data-testid="office-form"
        onSubmit={(event) => {
          event.preventDefault();
          void open({ unitId: unit, shape: "office", kind: office.kind, units });
        }}
      >
        <label>
          {t("receptionSessions.kind")}
          <select value={office.kind} onChange={(event) => setOffice({ ...office, kind: event.target.value })} data-testid="office-kind">
            <option value="regular">{t("receptionSessions.kinds.regular")}</option>
            <option value="periodic">{t("receptionSessions.kinds.periodic")}</option>
            <option value="adhoc">{t("receptionSessions.kinds.adhoc")}</option>
          </select>
        </label>
        {(["officeUnitId", "agencyUnitId", "observerUnitId"] as const).map((field) => (
          <label key={field}>
            {t(`receptionSessions.${field}`)}
            <select value={office[field]} onChange={(event) => setOffice({ ...office, [field]: event.target.value })} data-testid={`office-${field}`} required={field === "officeUnitId"}>
              <option value="">—</option>
              <UnitOptions units={allUnits} />
            </select>
          </label>
        ))}
        <button type="submit" className="primary" data-testid="open-office">
          {t("receptionSessions.openOffice")}
        </button>
      </form>

      <h3>{t("receptionSessions.list")}</h3>
      <table className="users-table">
        <tbody>
          {(sessions.data?.items ?? []).map((item) => (
            <tr key={item.id} data-testid="session-row" data-status={item.status}>
              <td>{formatViDateTime(item.createdAt)}</td>
              <td>{t(`receptionSessions.shapes.${item.shape}`)}</td>
              <td>{item.bookingCode ?? item.units.map((place) => place.name).join(", ")}</td>
              <td>{t(`receptionSessions.statuses.${item.status}`)}</td>
              <td>
                {item.status !== "ended" && (
                  <a className="button-link" href={roomHref(item.roomId)} data-testid="enter-session">
                    {t("receptionSessions.enter")}
                  </a>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
