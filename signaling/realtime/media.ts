import { randomUUID } from "node:crypto";
import { type Peer, Room, SfuError } from "../../sfu";
import type { PeerInfo } from "../protocol";
import { AppError } from "../errors";
import { currentMembership, type RequestHandlers, type Session } from "./handlers";
import { peerChannel, type RoomChannels } from "./io";
import { fromRtpCapabilities, fromRtpParameters, toDtlsParameters, toRtpCapabilities, toRtpParameters } from "./mediasoupTypes";
import type { AttendanceLog } from "./AttendanceLog";
import type { BriefingRoster } from "./BriefingRoster";
import type { IceServerIssuer } from "./iceServers";
import type { MeetingAccess } from "../services/meetings/meetingAccess";
import { chairsBriefing } from "../policies";
import type { Moderation } from "./ModerationState";
import type { ReceptionRooms } from "./reception";
import type { ResumableSessions } from "./ResumableSessions";
import type { RoomDirectory } from "./RoomDirectory";

/**
 * When the meeting in the room began, for the timer every site shows: the start stored on the meeting's row
 * (it survives the room emptying and filling again). Only if the database cannot say, the earliest join among
 * the room's peers now, as the room's own session knows it.
 */
async function meetingStart(room: Room, stored: Promise<Date> | undefined): Promise<string> {
  const start = await stored?.catch(() => undefined);
  return (start ?? new Date(Math.min(Date.now(), ...room.peers.map((peer) => peer.joinedAt.getTime())))).toISOString();
}

/** Another participant as a joining site learns it: its media, and its link as last measured (if known). */
function peerInfo(room: Room, peer: Peer): PeerInfo {
  const link = room.linkOf(peer);
  return { ...Room.peerSnapshot(peer), ...(link ? { link } : {}) };
}

/** Leaves the room the session is in, if any, for good. Safe to call twice. */
export function leaveRoom(session: Session, reason: "left" | "disconnected", resumable: ResumableSessions, channels: RoomChannels): void {
  const current = session.membership;
  if (!current) return;
  session.membership = undefined;
  resumable.forget(current.peer.id);
  void session.socket.leave(channels.room(current.room.id));
  // A reception's staff channel too (joined with the room when staff): a socket that stays connected, or a
  // join that ended after its socket closed (its sid would stay in the adapter's room for good).
  void session.socket.leave(channels.staff(current.room.id));
  void session.socket.leave(peerChannel(current.peer.id));
  current.room.leave(current.peer, reason);
}

/** The socket dropped: the peer stays for the grace period, then leaves unless it resumed. */
export function holdForResume(session: Session, resumable: ResumableSessions): void {
  const current = session.membership;
  if (!current) return;
  session.membership = undefined;
  resumable.hold(current.room, current.peer, session.actor.id, () => current.room.leave(current.peer, "disconnected"));
}

/**
 * A peer a forwarded join or resume made whose client never learnt of it (realtime/forwarding.ts): its
 * resume token reached nobody, so it leaves for good now, held for resumption or not.
 */
export async function dropUnclaimedPeer(rooms: RoomDirectory, resumable: ResumableSessions, roomId: string, peerId: string, session: Session | undefined): Promise<void> {
  if (session?.membership?.peer.id === peerId) return leaveRoom(session, "disconnected", resumable, rooms.channels);
  resumable.forget(peerId);
  const room = await rooms.get(roomId);
  const peer = room?.peer(peerId);
  if (room && peer) room.leave(peer, "disconnected");
}

type MediaEvents = "getRouterRtpCapabilities" | "join" | "resume" | "createWebRtcTransport" | "connectWebRtcTransport" | "restartIce" | "produce" | "consume" | "resumeConsumer" | "pauseConsumer" | "setConsumerPreferredLayers" | "pauseProducer" | "resumeProducer" | "closeProducer" | "leave";

export function mediaHandlers(
  rooms: RoomDirectory,
  attendance: AttendanceLog,
  resumable: ResumableSessions,
  moderation: Moderation,
  access: MeetingAccess,
  receptions: ReceptionRooms,
  roster: BriefingRoster,
  ice?: IceServerIssuer,
): Pick<RequestHandlers, MediaEvents> {
  /** What a peer is told on entering the room, by a join or a resume: itself, the others, the chair's state, a fresh resume token. */
  const inRoom = async (room: Room, peer: Peer, others: PeerInfo[], storedStart: Promise<Date> | undefined) => ({
    peerId: peer.id,
    roomId: room.id,
    displayName: peer.displayName,
    resumeToken: resumable.issue(peer.id),
    peers: others,
    moderation: moderation.snapshot(room, peer),
    startedAt: await meetingStart(room, storedStart),
  });

  return {
    getRouterRtpCapabilities: async () => ({ rtpCapabilities: fromRtpCapabilities(rooms.rtpCapabilities) }),

    join: async ({ roomId, rtpCapabilities }, session) => {
      const { actor } = session;
      // A peer its room let go (a dead media worker moved it out) may join again; a live one may not.
      if (session.membership && !session.membership.room.closed && !session.membership.peer.closed) throw new AppError("ALREADY_JOINED");
      // A reception room has its own rules (the citizen, the receiving unit, the agencies invited);
      // every other room is a briefing: scheduled ones admit their invited units.
      const reception = await receptions.admission(actor, roomId);
      if (!reception && !(await access.mayJoin(actor, roomId))) throw new AppError("NOT_INVITED");
      if (!reception) await access.openSitting(actor, roomId);
      const chair = reception ? reception.chair : chairsBriefing(actor, await access.briefingOf(roomId));
      // The room can close between lookup and join when its last peer leaves at that moment; a second
      // attempt then gets a fresh room.
      for (let attempt = 0; ; attempt++) {
        const room = await rooms.getOrCreate(roomId);
        if (session.membership && !session.membership.room.closed) throw new AppError("ALREADY_JOINED");
        // The room's moderation as stored, should this process have restarted under a live room.
        await moderation.load(room);
        if (!moderation.mayEnter(room, actor.id, chair)) throw new AppError("ROOM_LOCKED");
        try {
          const others = room.peers.map((peer) => peerInfo(room, peer));
          const peer = room.join({ id: randomUUID(), displayName: actor.peerName, rtpCapabilities: toRtpCapabilities(rtpCapabilities) });
          const started = attendance.joined(room.id, { id: peer.id, displayName: peer.displayName, userId: actor.id, unitId: actor.unitId }, peer.joinedAt);
          // Joining is synchronous (the in-memory adapter, and the Redis streams adapter, which keeps this
          // process's rooms in memory too), so no room broadcast can fall between these lines.
          await session.socket.join([rooms.channels.room(room.id), peerChannel(peer.id)]);
          session.membership = { room, peer };
          const before = JSON.stringify(moderation.snapshot(room));
          moderation.registerPeer(room, peer, actor.id, chair, reception?.receiveOnly ?? false);
          // Everyone else learns who chairs (the chair's tile is shown large), and sees a site that
          // comes back muted or with its hand up as such.
          if (JSON.stringify(moderation.snapshot(room)) !== before) moderation.announceToRoom(room, peer.id);
          roster.entered(room, peer, actor.unitPath);
          if (reception) await receptions.joined(room.id, reception, session);
          return inRoom(room, peer, others, started);
        } catch (error) {
          if (!(error instanceof SfuError && error.code === "ROOM_CLOSED") || attempt > 0) throw error;
        }
      }
    },

    resume: async ({ peerId, resumeToken }, session) => {
      if (session.membership && !session.membership.room.closed) throw new AppError("ALREADY_JOINED");
      const claimed = resumable.claim(peerId, resumeToken, session.actor.id);
      if (!claimed) throw new AppError("NOT_JOINED", { detail: "nothing to resume: expired, unknown or not yours" });
      const { room, peer, droppedAt } = claimed;
      await session.socket.join([rooms.channels.room(room.id), peerChannel(peer.id)]);
      session.membership = { room, peer };
      // Nobody saw the site leave, but the chair's record shows the gap: the link dropped once.
      attendance.resumed(room.id, peer.id, droppedAt);
      // A reception's staff rejoin its staff channel (the lobby), which their dropped socket left.
      await receptions.resumed(room.id, session);
      const others = room.peers.filter((other) => other !== peer).map((other) => peerInfo(room, other));
      return inRoom(room, peer, others, attendance.meetingStart(room.id));
    },

    createWebRtcTransport: async ({ direction }, session) => {
      const { room, peer } = currentMembership(session);
      // Fresh TURN credentials with every transport, so a long day of meetings never outlives them.
      return { ...(await room.createWebRtcTransport(peer, direction)), ...ice?.forUser(session.actor.id) };
    },

    connectWebRtcTransport: async ({ transportId, dtlsParameters }, session) => {
      const { room, peer } = currentMembership(session);
      await room.connectTransport(peer, transportId, toDtlsParameters(dtlsParameters));
      return {};
    },

    restartIce: async ({ transportId }, session) => {
      const { room, peer } = currentMembership(session);
      return { iceParameters: await room.restartIce(peer, transportId) };
    },

    produce: async ({ transportId, kind, source, rtpParameters, paused }, session) => {
      const { room, peer } = currentMembership(session);
      if (moderation.isReceiveOnly(room, peer)) throw new AppError("FORBIDDEN", { detail: "observers watch and listen only" });
      if (source === "screen") {
        if (!moderation.mayShareScreen(room, peer)) throw new AppError("SCREEN_SHARE_NOT_ALLOWED");
        // One presentation at a time, so every site looks at the same thing.
        if (room.producersOf("screen").some((share) => share.peer !== peer)) throw new AppError("SCREEN_SHARE_IN_USE");
      }
      // A microphone opened while the chair's mute holds starts muted, whatever the client asked.
      const forced = source === "mic" && moderation.isMuted(room, peer);
      const producer = await room.produce(peer, {
        transportId,
        kind,
        source,
        rtpParameters: toRtpParameters(rtpParameters),
        ...(forced ? { paused: true } : paused === undefined ? {} : { paused }),
      });
      return { producerId: producer.id, paused: producer.paused };
    },

    consume: async ({ transportId, producerId, spatialLayer }, session) => {
      const { room, peer } = currentMembership(session);
      const consumer = await room.consume(peer, { transportId, producerId, ...(spatialLayer === undefined ? {} : { spatialLayer }) });
      return { ...consumer, rtpParameters: fromRtpParameters(consumer.rtpParameters) };
    },

    resumeConsumer: async ({ consumerId }, session) => {
      const { room, peer } = currentMembership(session);
      await room.resumeConsumer(peer, consumerId);
      return {};
    },

    pauseConsumer: async ({ consumerId }, session) => {
      const { room, peer } = currentMembership(session);
      await room.pauseConsumer(peer, consumerId);
      return {};
    },

    setConsumerPreferredLayers: async ({ consumerId, spatialLayer }, session) => {
      const { room, peer } = currentMembership(session);
      await room.setConsumerPreferredLayers(peer, consumerId, spatialLayer);
      return {};
    },

    pauseProducer: async ({ producerId }, session) => {
      const { room, peer } = currentMembership(session);
      await room.pauseProducer(peer, producerId);
      return {};
    },

    resumeProducer: async ({ producerId }, session) => {
      const { room, peer } = currentMembership(session);
      if (peer.producer(producerId).appData.source === "mic" && moderation.isMuted(room, peer)) throw new AppError("MUTED_BY_CHAIR");
      await room.resumeProducer(peer, producerId);
      return {};
    },

    closeProducer: async ({ producerId }, session) => {
      const { room, peer } = currentMembership(session);
      room.closeProducer(peer, producerId);
      return {};
    },

    leave: async (_request, session) => {
      currentMembership(session);
      leaveRoom(session, "left", resumable, rooms.channels);
      return {};
    },
  };
}
