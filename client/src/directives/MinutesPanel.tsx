import { type FormEvent, useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { CarriedOver, Minutes, RequestInput } from "../../../signaling/protocol";
import { useUnits } from "../admin/useUnits";
import { useApi } from "../api/useApi";
import { DateField } from "../components/DateField";
import type { RoomView } from "../media/RoomClient";
import type { BriefingRoomApi } from "../meetings/BriefingRoomApi";
import { DirectiveList } from "./DirectiveList";

type DueKind = "date" | "calendar" | "working";

/**
 * The minutes in the room. The chair (or the secretary the chair named) keeps notes and adds conclusions
 * and directives; every other site sees the directives addressed to its unit as they are given.
 */
export function MinutesPanel({ view, minutes, client, isChair }: { view: RoomView; minutes: Minutes | null; client: BriefingRoomApi; isChair: boolean }) {
  const { t } = useTranslation();
  // A reception room has no briefing minutes: the server sends none there.
  if (!minutes) return null;
  if (!minutes.keeper) {
    if (minutes.directives.length === 0) return null;
    return (
      <details className="minutes" data-testid="room-directives" open>
        <summary>{t("directives.forYou")}</summary>
        <DirectiveList directives={minutes.directives} />
      </details>
    );
  }
  return (
    <details className="minutes" data-testid="minutes-panel" open>
      <summary>{t("directives.minutesTitle")}</summary>
      {isChair ? <SecretaryPicker view={view} minutes={minutes} client={client} /> : minutes.secretaryName && <p className="muted">{t("directives.secretaryIs", { name: minutes.secretaryName })}</p>}
      <CarriedOverInRoom meetingId={minutes.meetingId} />
      <NotesEditor initial={minutes.notes} client={client} />
      <h4>{t("directives.conclusions")}</h4>
      {minutes.conclusions.length === 0 ? (
        <p className="hint">{t("directives.noConclusions")}</p>
      ) : (
        <ol>
          {minutes.conclusions.map((conclusion) => (
            <li key={conclusion.id} data-testid="conclusion-item">
              {conclusion.text}
            </li>
          ))}
        </ol>
      )}
      <ConclusionForm client={client} />
      <h4>{t("directives.directives")}</h4>
      <DirectiveList directives={minutes.directives} />
      <DirectiveForm client={client} />
    </details>
  );
}

function SecretaryPicker({ view, minutes, client }: { view: RoomView; minutes: Minutes; client: BriefingRoomApi }) {
  const { t } = useTranslation();
  const selected = minutes.secretaryUserId ? (view.peers.find((peer) => peer.displayName === minutes.secretaryName)?.id ?? "") : "";
  return (
    <label className="field">
      {t("directives.secretary")}
      <select data-testid="secretary-select" value={selected} onChange={(event) => void client.minutesRequest("setSecretary", { peerId: event.target.value || null })}>
        <option value="">{t("directives.secretaryNone")}</option>
        {view.peers.map((peer) => (
          <option key={peer.id} value={peer.id}>
            {peer.displayName}
          </option>
        ))}
      </select>
    </label>
  );
}

function NotesEditor({ initial, client }: { initial: string; client: BriefingRoomApi }) {
  const { t } = useTranslation();
  const [notes, setNotes] = useState(initial);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    // Another keeper saved: take their text unless this one is being edited.
    // eslint-disable-next-line react-hooks/set-state-in-effect -- follows the server's copy
    setNotes((current) => (current === "" ? initial : current));
  }, [initial]);
  const save = async () => {
    setSaved(Boolean(await client.minutesRequest("saveMinutesNotes", { notes })));
  };
  return (
    <div className="field">
      <label>
        {t("directives.notes")}
        <textarea data-testid="minutes-notes" rows={4} maxLength={50_000} value={notes} onChange={(event) => {
            setNotes(event.target.value);
            setSaved(false);
          }} />
      </label>
      <button type="button" data-testid="minutes-save" onClick={() => void save()}>
        {t("directives.saveNotes")}
      </button>
      {saved && <span className="muted"> {t("directives.saved")}</span>}
    </div>
  );
}

function ConclusionForm({ client }: { client: BriefingRoomApi }) {
  const { t } = useTranslation();
  const [text, setText] = useState("");
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await client.minutesRequest("addConclusion", { text })) setText("");
  };
  return (
    <form className="inline-form" onSubmit={(event) => void submit(event)}>
      <input data-testid="conclusion-input" aria-label={t("directives.conclusionText")} placeholder={t("directives.conclusionText")} value={text} maxLength={4000} onChange={(event) => setText(event.target.value)} />
      <button type="submit" data-testid="conclusion-add" disabled={text.trim().length < 3}>
        {t("directives.addConclusion")}
      </button>
    </form>
  );
}

function DirectiveForm({ client }: { client: BriefingRoomApi }) {
  const { t } = useTranslation();
  const { units } = useUnits(false);
  const [text, setText] = useState("");
  const [unitIds, setUnitIds] = useState<string[]>([]);
  const [allCommunes, setAllCommunes] = useState(false);
  const [dueKind, setDueKind] = useState<DueKind>("working");
  const [days, setDays] = useState("5");
  const [date, setDate] = useState("");
  const [expectedReport, setExpectedReport] = useState("");

  const due = (): RequestInput<"addDirective">["due"] => (dueKind === "date" ? { kind: "date", date } : { kind: dueKind, days: Number(days) });
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const issued = await client.minutesRequest("addDirective", { text, unitIds, allCommunes, due: due(), expectedReport });
    if (!issued) return;
    setText("");
    setUnitIds([]);
    setAllCommunes(false);
    setExpectedReport("");
  };
  const ready = text.trim().length >= 5 && expectedReport.trim().length >= 3 && (allCommunes || unitIds.length > 0) && (dueKind === "date" ? date !== "" : Number(days) >= 1);
  return (
    <form className="directive-form" data-testid="directive-form" onSubmit={(event) => void submit(event)}>
      <label className="field">
        {t("directives.directiveText")}
        <textarea data-testid="directive-text" rows={2} maxLength={4000} value={text} onChange={(event) => setText(event.target.value)} />
      </label>
      <label className="field">
        {t("directives.units")}
        <select
          multiple
          data-testid="directive-units"
          value={unitIds}
          size={Math.min(6, Math.max(3, units.length))}
          onChange={(event) => setUnitIds([...event.target.selectedOptions].map((option) => option.value))}
        >
          {units.map((unit) => (
            <option key={unit.id} value={unit.id}>
              {unit.name}
            </option>
          ))}
        </select>
      </label>
      <label className="checkbox">
        <input type="checkbox" data-testid="directive-all-communes" checked={allCommunes} onChange={(event) => setAllCommunes(event.target.checked)} /> {t("directives.allCommunes")}
      </label>
      <div className="field-row">
        <label className="field">
          {t("directives.due")}
          <select data-testid="directive-due-kind" value={dueKind} onChange={(event) => setDueKind(event.target.value as DueKind)}>
            {(["working", "calendar", "date"] as const).map((kind) => (
              <option key={kind} value={kind}>
                {t(`directives.dueKinds.${kind}`)}
              </option>
            ))}
          </select>
        </label>
        {dueKind === "date" ? (
          <label className="field">
            {t("directives.dueDate")}
            <DateField testId="directive-due-date" value={date} onChange={setDate} />
          </label>
        ) : (
          <label className="field">
            {t("directives.dueDays")}
            <input type="number" min={1} max={365} data-testid="directive-due-days" value={days} onChange={(event) => setDays(event.target.value)} />
          </label>
        )}
      </div>
      <label className="field">
        {t("directives.expectedReport")}
        <input data-testid="directive-report" maxLength={1000} value={expectedReport} onChange={(event) => setExpectedReport(event.target.value)} />
      </label>
      <button type="submit" className="primary" data-testid="directive-add" disabled={!ready}>
        {t("directives.addDirective")}
      </button>
    </form>
  );
}

/** The briefing opens with what the previous one of the same chair left open. */
function CarriedOverInRoom({ meetingId }: { meetingId: string }) {
  const { t } = useTranslation();
  const { data } = useApi<CarriedOver>(`/meetings/${meetingId}/carried-over`);
  if (!data?.previous || data.directives.length === 0) return null;
  return (
    <div data-testid="room-carried-over">
      <h4>{t("directives.carriedOver")}</h4>
      <p className="muted">{data.previous.title}</p>
      <DirectiveList directives={data.directives} testId="carried-directive" />
    </div>
  );
}
