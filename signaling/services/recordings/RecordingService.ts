import fs from "node:fs";
import path from "node:path";
import type { Room } from "../../../sfu";
import { composeRecording, type RecordedTrack } from "../../../sfu/recording";
import type { Config } from "../../config";
import type { Db } from "../../db/client";
import { AppError } from "../../errors";
import type { Logger } from "../../logger";

export type RecordingStatus = "recording" | "composing" | "ready" | "failed";

export interface RecordingProgress {
  status: RecordingStatus;
  fraction: number;
}

interface ActiveRecording {
  id: string;
  roomId: string;
  /** The announced start: every recorded track was being written from then on (stored on the row). */
  startedAt: Date;
  /** Producers whose track could not even start: the file will lack them. */
  startFailures: number;
}

/**
 * What the recording service needs of the live side, given by realtime/recordingControl.ts: who chairs a
 * room (their tracks are recorded first) and how a room is told about its recording. Kept as a port so
 * this service (used by REST too) imports no socket code.
 */
export interface RecordingRoomPort {
  chairPeerIds(room: Room): string[];
  /** `room` is null once the room has been left behind (composition goes on after it closed). */
  announceProgress(room: Room | null, roomId: string, recordingId: string, progress: RecordingProgress): void;
  announceConsentWithdrawn(roomId: string, recordingId: string, peerIds: string[]): void;
}

/**
 * The chair's recordings: a Recording row per start, the room's recorder while it runs, then one file
 * composed in the background from its tracks, with progress told to the room and kept for the
 * meeting page. Nothing here blocks media or signaling on ffmpeg.
 */
export class RecordingService {
  readonly #db: Db;
  readonly #rooms: RecordingRoomPort;
  readonly #config: Config["recording"];
  readonly #dataDir: string;
  readonly #logger: Logger;
  readonly #active = new WeakMap<Room, ActiveRecording>();
  /** recordingId → progress while composing (the database has the final state). */
  readonly #progress = new Map<string, RecordingProgress>();
  readonly #compositions = new Set<Promise<void>>();

  constructor(options: { db: Db; rooms: RecordingRoomPort; config: Config["recording"]; dataDir: string; logger: Logger }) {
    this.#db = options.db;
    this.#rooms = options.rooms;
    this.#config = options.config;
    this.#dataDir = options.dataDir;
    this.#logger = options.logger.child({ component: "recording" });
  }

  /** Progress of a recording being composed, if it is. */
  progress(recordingId: string): RecordingProgress | undefined {
    return this.#progress.get(recordingId);
  }

  async start(room: Room, startedById: string): Promise<string> {
    if (this.#active.has(room) || room.recording) throw new AppError("RECORDING_ACTIVE");
    await this.#assertFreeSpace();
    const meeting = await this.#db.meeting.upsert({
      where: { roomId: room.id },
      create: { roomId: room.id, title: room.id, status: "live", startedAt: new Date() },
      update: {},
    });
    const row = await this.#db.recording.create({ data: { meetingId: meeting.id, startedById } });
    const active: ActiveRecording = { id: row.id, roomId: room.id, startedAt: row.startedAt, startFailures: 0 };
    this.#active.set(room, active);
    try {
      await room.startRecording({ directory: this.#tracksDir(row.id), portRange: this.#config.portRange, ffmpegPath: this.#config.ffmpegPath }, this.#rooms.chairPeerIds(room));
    } catch (error) {
      this.#active.delete(room);
      await this.#db.recording.update({ where: { id: row.id }, data: { status: "failed", stoppedAt: new Date(), error: String(error) } });
      throw error;
    }
    room.once("closed", () => void this.roomClosed(room));
    room.recorder?.on("trackFailed", (track) => this.#logger.error({ recordingId: row.id, track: track.label, failure: track.failure }, "a recording track failed; its partial file is kept"));
    room.recorder?.on("trackStartFailed", (producerId, label, error) => {
      active.startFailures++;
      this.#logger.error({ recordingId: row.id, producerId, track: label, err: error }, "a recording track could not start");
    });
    // "Recording" is announced only once every track is written (video from a keyframe): the file is
    // evidence, and must hold what the room was told it holds from the first second.
    const { missing } = (await room.recorder?.whenWriting(this.#config.startWaitMs)) ?? { missing: 0 };
    // Stopped (or the room closed) while waiting: the stop has already composed what there was.
    if (this.#active.get(room) !== active) return row.id;
    active.startedAt = new Date();
    const gapMs = active.startedAt.getTime() - row.startedAt.getTime();
    if (missing > 0) this.#logger.warn({ recordingId: row.id, missing, gapMs }, "recording announced before every track sent media");
    else this.#logger.info({ recordingId: row.id, gapMs }, "recording announced: every track is being written");
    await this.#db.recording.update({ where: { id: row.id }, data: { startedAt: active.startedAt } });
    this.#setState(room, active, { status: "recording", fraction: 0 });
    return row.id;
  }

  /** Stops the room's recording and composes its file in the background. */
  async stop(room: Room): Promise<string> {
    const active = this.#active.get(room);
    if (!active) throw new AppError("NOT_RECORDING");
    this.#active.delete(room);
    // The stop instant is the request's, not the moment every ffmpeg has finished its file.
    const stoppedAt = new Date();
    const tracks = room.recording ? await room.stopRecording() : [];
    await this.#finish(room, active, tracks, stoppedAt);
    return active.id;
  }

  /**
   * A citizen withdrew their consent: their peers' tracks are finished now (what they said until then
   * stays, as they had agreed), their media is not recorded again, the recording row says when, and the
   * room is told. Null when the room is not recording.
   */
  async stopRecordingPeers(room: Room, peerIds: readonly string[], at: Date): Promise<string | null> {
    const active = this.#active.get(room);
    if (!active || !room.recording) return null;
    const ended = (await Promise.all(peerIds.map((peerId) => room.stopRecordingPeer(peerId)))).flat();
    await this.#db.recording.update({ where: { id: active.id }, data: { consentWithdrawnAt: at } });
    this.#logger.info({ recordingId: active.id, peers: peerIds.length, tracks: ended.length }, "a citizen withdrew consent: their tracks stopped");
    this.#rooms.announceConsentWithdrawn(room.id, active.id, [...peerIds]);
    return active.id;
  }

  /** The room closed (ended, emptied, its worker died) while recording: keep what was recorded. */
  async roomClosed(room: Room): Promise<void> {
    if (!this.#active.has(room)) return;
    const stopping = this.stop(room).then(
      () => undefined,
      (error: unknown) => this.#logger.error({ err: error, roomId: room.id }, "could not stop the recording of a closed room"),
    );
    this.#track(stopping);
    await stopping;
  }

  /** Waits for every composition under way (shutdown, tests). */
  async flush(): Promise<void> {
    // A stop that finishes queues its composition: wait until nothing is left.
    while (this.#compositions.size > 0) await Promise.all([...this.#compositions]);
  }

  /**
   * A recording that fills the disk fails mid-meeting and takes the database (same disk) with it, so a
   * start is refused below RECORDING_MIN_FREE_MB, before any row or ffmpeg exists. Checked at start only:
   * what one recording needs is unknown in advance, and the threshold is the operator's margin for it.
   */
  async #assertFreeSpace(): Promise<void> {
    const directory = path.join(this.#dataDir, "recordings");
    await fs.promises.mkdir(directory, { recursive: true });
    const free = await freeBytes(directory);
    if (free >= this.#config.minFreeBytes) return;
    this.#logger.error({ directory, freeMb: Math.floor(free / 1048576), minFreeMb: Math.floor(this.#config.minFreeBytes / 1048576) }, "recording refused: not enough free disk space");
    throw new AppError("RECORDING_DISK_FULL", { detail: `${Math.floor(free / 1048576)} MB free, ${Math.floor(this.#config.minFreeBytes / 1048576)} MB required` });
  }

  #tracksDir(recordingId: string): string {
    return path.join(this.#dataDir, "recordings", recordingId, "tracks");
  }

  #setState(room: Room | null, active: ActiveRecording, progress: RecordingProgress): void {
    if (progress.status === "ready" || progress.status === "failed") this.#progress.delete(active.id);
    else this.#progress.set(active.id, progress);
    this.#rooms.announceProgress(room, active.roomId, active.id, progress);
  }

  /**
   * The row says the recording stopped (status, stop instant, tracks) before the stop is answered — whoever
   * reads it next, an auditor or the book entry that stopped it, must not find it still "recording" (the
   * PostgreSQL pass did, its read racing this write on another connection); the file is composed after, in
   * the background. A failed write is logged, not thrown: the media has stopped either way.
   */
  async #finish(room: Room, active: ActiveRecording, tracks: RecordedTrack[], stoppedAt: Date): Promise<void> {
    this.#setState(room, active, { status: "composing", fraction: 0 });
    const partial = tracks.some((track) => track.failed) || active.startFailures > 0;
    const stored = this.#db.recording.update({ where: { id: active.id }, data: { status: "composing", stoppedAt, tracks: tracks.length, partial } }).then(
      () => true,
      (error: unknown) => {
        this.#logger.error({ err: error, recordingId: active.id }, "could not store that the recording stopped");
        return false;
      },
    );
    this.#track(stored.then(() => this.#compose(active, tracks, stoppedAt, partial)));
    await stored;
  }

  #track(job: Promise<void>): void {
    this.#compositions.add(job);
    void job.finally(() => this.#compositions.delete(job));
  }

  async #compose(active: ActiveRecording, tracks: RecordedTrack[], stoppedAt: Date, partial: boolean): Promise<void> {
    // What each file is and when it started, beside the files: enough to compose them again by hand.
    fs.mkdirSync(this.#tracksDir(active.id), { recursive: true });
    fs.writeFileSync(path.join(this.#tracksDir(active.id), "..", "tracks.json"), JSON.stringify({ recordingId: active.id, roomId: active.roomId, tracks }, null, 2));
    const relative = path.join("recordings", active.id, `ghi-hinh-${active.roomId}-${active.startedAt.toISOString().slice(0, 10)}.mp4`);
    const output = path.join(this.#dataDir, relative);
    try {
      if (tracks.length === 0) throw new Error("nothing was recorded: no site sent media");
      fs.mkdirSync(path.dirname(output), { recursive: true });
      let last = 0;
      const result = await composeRecording(tracks, output, {
        ffmpegPath: this.#config.ffmpegPath,
        // Exactly the span the room was told was recorded, and the row stores.
        span: { startedAt: active.startedAt.getTime(), stoppedAt: stoppedAt.getTime() },
        onProgress: (fraction) => {
          // Every 5 %: enough for a progress bar, not a flood of events.
          if (fraction - last < 0.05) return;
          last = fraction;
          this.#setState(null, active, { status: "composing", fraction: Math.min(1, fraction) });
        },
      });
      const size = fs.statSync(result.file).size;
      await this.#db.recording.update({
        where: { id: active.id },
        data: { status: "ready", file: path.relative(this.#dataDir, result.file), sha256: result.sha256, durationSeconds: result.durationSeconds, sizeBytes: size },
      });
      this.#setState(null, active, { status: "ready", fraction: 1 });
      this.#logger.info({ recordingId: active.id, seconds: result.durationSeconds, partial, skipped: result.skipped.length }, "recording composed");
    } catch (error) {
      // The tracks stay on disk under recordings/<id>/tracks: an operator can compose them again.
      this.#logger.error({ err: error, recordingId: active.id }, "recording composition failed; tracks kept");
      await this.#db.recording
        .update({ where: { id: active.id }, data: { status: "failed", error: error instanceof Error ? error.message.slice(0, 500) : String(error) } })
        .catch(() => undefined);
      this.#setState(null, active, { status: "failed", fraction: 0 });
    }
  }
}

/** Space an unprivileged process may still write on the file system holding `directory`. */
export async function freeBytes(directory: string): Promise<number> {
  const stats = await fs.promises.statfs(directory);
  return stats.bavail * stats.bsize;
}
