import { memo } from "react";
import { useTranslation } from "react-i18next";
import type { LinkQuality } from "../../../signaling/protocol";
import type { RoomClient, RoomView } from "../media/RoomClient";
import { orderParticipants } from "../media/tileOrder";
import type { RosterUnit } from "../meetings/BriefingRoomApi";

interface Row {
  id: string;
  name: string;
  self: boolean;
  micOff: boolean;
  cameraOff: boolean;
  link: LinkQuality | null;
}

/** A site's link, in words (a colour alone would not do for everyone) with a bar glyph. */
export function LinkChip({ link }: { link: LinkQuality | null }) {
  const { t } = useTranslation();
  if (!link) return null;
  const bars = link === "good" ? "▂▄▆" : link === "weak" ? "▂▄" : "▂";
  return (
    <span className={`chip link link-${link}`} data-testid="link-quality" data-link={link} title={t("briefing.link.label", { level: t(`briefing.link.${link}`) })}>
      <span aria-hidden="true">{bars} </span>
      {t(`briefing.link.${link}`)}
    </span>
  );
}

interface ParticipantRowProps {
  row: Row;
  client: RoomClient;
  moderates: boolean;
  chair: boolean;
  /** 1 for the first raised hand; 0 when the hand is down. */
  handNumber: number;
  floor: boolean;
  mutedByChair: boolean;
}

/**
 * One site's line. Memoised on its own values: with 40 sites, one raised hand or one site's link changing
 * re-rendered every line, each with six to eight translation lookups (the chairGrid bench's hot spot).
 */
const ParticipantRow = memo(function ParticipantRow({ row, client, moderates, chair, handNumber, floor, mutedByChair }: ParticipantRowProps) {
  const { t } = useTranslation();
  return (
    <li
      data-testid="participant"
      data-peer-id={row.self ? undefined : row.id}
      data-self={String(row.self)}
      data-hand={String(handNumber > 0)}
      data-mic={row.micOff ? "off" : "on"}
      data-camera={row.cameraOff ? "off" : "on"}
    >
      <span className="participant-name">
        {row.name}
        {row.self && <span className="participant-self"> ({t("room.you")})</span>}
      </span>
      <span className="participant-state">
        {chair && <span className="chip chair">{t("briefing.chair")}</span>}
        {floor && <span className="chip floor">{t("controls.hasFloor")}</span>}
        {handNumber > 0 && <span className="chip hand">✋ {t("briefing.handNumber", { number: handNumber })}</span>}
        <span className={row.micOff ? "chip off" : "chip"}>{row.micOff ? t("briefing.micOff") : t("briefing.micOn")}</span>
        <span className={row.cameraOff ? "chip off" : "chip"}>{row.cameraOff ? t("briefing.cameraOff") : t("briefing.cameraOn")}</span>
        <LinkChip link={row.link} />
      </span>
      {moderates && !row.self && (
        <span className="participant-actions">
          <button type="button" data-testid="list-mute" onClick={() => void client.muteSite(row.id, !mutedByChair)}>
            {mutedByChair ? t("controls.allowSite") : t("controls.muteSite")}
          </button>
          <button type="button" data-testid="list-floor" onClick={() => void client.grantFloor(floor ? null : row.id)}>
            {floor ? t("controls.takeFloor") : t("controls.giveFloor")}
          </button>
        </span>
      )}
    </li>
  );
}, sameRow);

/** Rows are rebuilt from the view on every render: compared by their values, not their identity. */
function sameRow(before: ParticipantRowProps, after: ParticipantRowProps): boolean {
  const a = before.row;
  const b = after.row;
  return (
    a.id === b.id && a.name === b.name && a.self === b.self && a.micOff === b.micOff && a.cameraOff === b.cameraOff && a.link === b.link &&
    before.client === after.client && before.moderates === after.moderates && before.chair === after.chair &&
    before.handNumber === after.handNumber && before.floor === after.floor && before.mutedByChair === after.mutedByChair
  );
}

/**
 * Who is in the meeting, as the chair runs it: present sites against the invited count, each one's
 * microphone and camera, raised hands and the floor. A leader chairing acts from here (microphone, floor)
 * as from the tile menus, without having to find the site's tile on another page of the grid.
 */
export function ParticipantList({
  view,
  client,
  moderates,
  invitedUnits,
  roster,
}: {
  view: RoomView;
  client: RoomClient;
  moderates: boolean;
  invitedUnits: number | null;
  /** The invited units present or absent, which the server sends to the chairs only (null for others). */
  roster: RosterUnit[] | null;
}) {
  const { t } = useTranslation();
  const { moderation } = view;
  const byId = new Map(view.peers.map((peer) => [peer.id, peer]));
  const remote = orderParticipants({
    peerIds: view.peers.map((peer) => peer.id),
    chairPeerIds: moderation.chairPeerIds,
    hands: moderation.hands,
    floorPeerId: moderation.floorPeerId,
  }).flatMap((id): Row[] => {
    const peer = byId.get(id);
    return peer ? [{ id, name: peer.displayName, self: false, micOff: peer.audioPaused, cameraOff: peer.cameraOff, link: peer.link }] : [];
  });
  const self: Row = { id: view.selfPeerId ?? "self", name: view.displayName ?? t("room.you"), self: true, micOff: !view.micOn, cameraOff: !view.cameraOn, link: view.selfLink };
  const rows = [self, ...remote];
  const present = rows.length;
  const absent = roster?.filter((unit) => !unit.present) ?? [];
  return (
    <section className="participants" data-testid="participants" aria-labelledby="participants-title">
      <h3 id="participants-title">{t("briefing.participantsTitle")}</h3>
      <p className="attendance" data-testid="attendance" data-present={present}>
        {invitedUnits === null ? t("briefing.present", { count: present }) : t("briefing.presentOfInvited", { count: present, invited: invitedUnits })}
        {roster && roster.length > 0 && (
          <>
            <br />
            <span data-testid="units-present">{t("briefing.unitsPresent", { present: roster.length - absent.length, invited: roster.length })}</span>
          </>
        )}
      </p>
      <ul className="participant-list">
        {rows.map((row) => (
          <ParticipantRow
            key={row.id}
            row={row}
            client={client}
            moderates={moderates}
            chair={moderation.chairPeerIds.includes(row.id)}
            handNumber={moderation.hands.indexOf(row.id) + 1}
            floor={moderation.floorPeerId === row.id}
            mutedByChair={moderation.mutedPeerIds.includes(row.id)}
          />
        ))}
      </ul>
      {absent.length > 0 && (
        // Who is missing, so the chair can call them before starting: the invited units with nobody in the room.
        <>
          <h4 id="absent-title">{t("briefing.absentTitle", { count: absent.length })}</h4>
          <ul className="participant-list absent-list" aria-labelledby="absent-title" data-testid="absent-units">
            {absent.map((unit) => (
              <li key={unit.id} data-testid="absent-unit" data-unit-id={unit.id}>
                <span className="participant-name">{unit.name}</span>
                <span className="participant-state">
                  <span className="chip off">{t("briefing.absent")}</span>
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
