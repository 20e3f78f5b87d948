import type http from "node:http";
import { Server as SocketIoServer } from "socket.io";
import { WorkerPool } from "../sfu";
import { apiRoutes } from "./api";
import { MeetingAccess } from "./services/meetings/meetingAccess";
import type { AnyRoute } from "./api/route";
import { AuthService } from "./auth/AuthService";
import { CitizenSecrets, upgradeLegacyCitizenSecrets } from "./auth/citizenSecrets";
import type { Config } from "./config";
import { createDb, type Db, durabilitySettings } from "./db/client";
import { sweepFileStore } from "./services/attachments/attachments";
import { createApp } from "./http/app";
import { answerClientError } from "./http/clientError";
import { createHealthCheck } from "./http/health";
import { Metrics } from "./http/metrics";
import type { Logger } from "./logger";
import { AttendanceLog } from "./realtime/AttendanceLog";
import { BriefingRoster } from "./realtime/BriefingRoster";
import { attachDispatcher } from "./realtime/dispatcher";
import type { IoServer } from "./realtime/io";
import { dropUnclaimedPeer, holdForResume, mediaHandlers } from "./realtime/media";
import { ResumableSessions } from "./realtime/ResumableSessions";
import { chatHandlers } from "./realtime/chat";
import { currentMembership, type RequestHandlers } from "./realtime/handlers";
import { DbModerationStore, Moderation } from "./realtime/ModerationState";
import { chairControlHandlers } from "./realtime/chairControls";
import { minutesHandlers } from "./realtime/minutes";
import { DirectiveEvents } from "./services/directives/events";
import { MinutesService } from "./services/directives/minutes";
import { MeetingMinutesService } from "./services/directives/notice";
import { DirectiveTasks } from "./services/directives/tasks";
import { RecordingService } from "./services/recordings/RecordingService";
import { recordingHandlers, recordingRoomPort } from "./realtime/recordingControl";
import { ReceptionRooms } from "./realtime/reception";
import { ReceptionService } from "./services/reception/reception";
import { CaseService } from "./services/cases/cases";
import { RoomDirectory } from "./realtime/RoomDirectory";
import { MediaNodeDirectory } from "./mediaNodes/registry";
import { RoomOwnership } from "./realtime/RoomOwnership";
import { RoomForwarding } from "./realtime/forwarding";
import { IceServerIssuer } from "./realtime/iceServers";
import { AccessRevocation } from "./realtime/revocation";
import { createMainServer, createRedirectServer, listen } from "./tls/serve";
import { DocumentSigner } from "./signing/DocumentSigner";
import { LegacyKeys } from "./keys/legacyKeys";
import { ServerKey } from "./keys/serverKey";
import { CertificateService } from "./services/certificates/CertificateService";
import { BriefingInvitations } from "./services/mail/briefingInvitations";
import { CaseDeadlineWarnings } from "./services/mail/caseDeadlineWarnings";
import { DirectiveMail } from "./services/mail/directiveMail";
import { MailQueue } from "./services/mail/MailQueue";
import { MailSettingsService } from "./services/mail/MailSettingsService";
import { openSharedState } from "./redis";

export interface RunningServer {
  /** Base URL actually bound (the port is resolved when 0 was asked for); https:// when TLS is configured. */
  readonly url: string;
  /** The plain-HTTP server that only redirects to `url`, when HTTP_REDIRECT_PORT is set. */
  readonly redirectUrl?: string;
  readonly io: IoServer;
  readonly pool: WorkerPool;
  readonly rooms: RoomDirectory;
  /** Several processes (REDIS_URL): this process's rooms' ownership and its lease (tests read its age). */
  readonly ownership?: RoomOwnership;
  readonly db: Db;
  /** The case service (stored duties back-fill; tests drive it directly). */
  readonly cases: CaseService;
  readonly attendance: AttendanceLog;
  readonly recordings: RecordingService;
  readonly metrics: Metrics;
  /**
   * The follow-up of directives: `minutes` issues them in the room (their assignment mail queued in the same
   * transaction), `events` is where assignments and reports are announced after the commit,
   * `tasks.dueReminders(day)` lists the D-3 / D-day / overdue reminders due.
   */
  readonly directives: { minutes: MinutesService; events: DirectiveEvents; tasks: DirectiveTasks };
  /** Every REST route, as registered (the authorization matrix test enumerates them). */
  readonly routes: readonly AnyRoute[];
  /** Signs issued PDFs with the issuing unit's certificate (signaling/signing/DocumentSigner.ts). */
  readonly signer: DocumentSigner;
  /** Outgoing mail: the queue's worker (tests run it at will), its settings, and the deadline warnings' check. */
  readonly mail: { queue: MailQueue; settings: MailSettingsService; deadlineWarnings: CaseDeadlineWarnings; directiveMail: DirectiveMail };
  close(): Promise<void>;
}

/**
 * Composition root: media workers, database, HTTP app and socket.io, wired together and listening.
 * Used by `main.ts` and by the integration tests alike, so tests run the real server.
 */
export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  // Throttles and socket.io events: this process's memory, or Redis shared with the other processes.
  // First, so a Redis that does not answer stops the start before anything else is opened.
  const shared = await openSharedState(config.redis?.url, config.auth.lookupHmacKey, logger);
  const pool = await WorkerPool.create({
    size: config.mediasoup.workers,
    portRange: config.mediasoup.portRange,
    logLevel: config.mediasoup.logLevel,
  });
  pool.on("workerDied", (index, error) => logger.error({ err: error, worker: index }, "mediasoup worker died; restarting"));
  pool.on("workerRestarted", (index) => logger.warn({ worker: index }, "mediasoup worker restarted"));
  pool.on("restartFailed", (index, error) => logger.error({ err: error, worker: index }, "mediasoup worker restart failed"));

  const metrics = new Metrics();
  const db = createDb(config.databaseUrl, { onError: metrics.dbError });
  const durability = await durabilitySettings(db);
  if (durability.journalMode !== "wal") logger.warn(durability, "SQLite refused WAL mode (network file system?): commits are slower and readers wait on writers");
  // Before listening, so no upload is in flight: the leftovers of uploads a crash interrupted go.
  const sweep = await sweepFileStore(db, config.files.dataDir);
  if (sweep.removedOrphans.length > 0) logger.warn({ files: sweep.removedOrphans }, "removed stored files no row names (interrupted uploads)");
  if (sweep.rowsWithoutFile.length > 0) logger.error({ rows: sweep.rowsWithoutFile }, "attachment rows whose file is missing from the data directory");
  // Also before listening: no lookup may meet a row still stored the old way (auth/citizenSecrets.ts).
  const secrets = new CitizenSecrets(config.auth.lookupHmacKey);
  const upgradedSecrets = await upgradeLegacyCitizenSecrets(db, secrets);
  if (upgradedSecrets > 0) logger.info({ rows: upgradedSecrets }, "stored citizens' codes as keyed HMAC (were bare SHA-256)");
  // socket.io wraps the request listeners present when it attaches, so the HTTP app must already be a
  // listener then; it is built later (it needs the rooms), hence this forwarding handler.
  let handleHttp: http.RequestListener = (_req, res) => {
    res.statusCode = 503;
    res.end();
  };
  const httpServer = createMainServer(config.http.tls, (req, res) => handleHttp(req, res));
  httpServer.on("clientError", answerClientError);
  const io: IoServer = new SocketIoServer(httpServer, {
    // Router capabilities and RTP parameters are a few kB; anything near this limit is abuse.
    maxHttpBufferSize: 64 * 1024,
    serveClient: false,
    ...(shared.socketAdapter ? { adapter: shared.socketAdapter } : {}),
    ...(config.http.corsOrigin ? { cors: { origin: config.http.corsOrigin } } : {}),
  });
  // Several processes: each room is owned by one, found through Redis; the others forward to it.
  const ownership = shared.redis && config.redis ? new RoomOwnership(shared.redis, config.redis.roomOwnerTtlMs, config.auth.jwtSecret) : undefined;
  const attendance = new AttendanceLog(db, logger);
  // What a previous run of this process left open; not the rooms other live processes hold.
  await attendance.closeInterrupted(new Date(), (await ownership?.ownedRooms()) ?? []);
  // Media nodes of other hosts, found in Redis (README › Scaling out › Several media hosts).
  const mediaNodes =
    config.mediaNodes && config.redis
      ? await MediaNodeDirectory.open({ redisUrl: config.redis.url, secret: config.mediaNodes.secret, heartbeatMs: config.mediaNodes.heartbeatMs, first: config.mediaNodes.remoteFirst, pipeListenIp: config.mediaNodes.pipeListenIp, allowPlain: config.mediaNodes.allowPlain ?? false, ...(config.mediaNodes.allowedIds ? { allowedIds: config.mediaNodes.allowedIds } : {}), logger })
      : undefined;
  // Said at every start, not only by the nodes: the pipes' SRTP keys then cross the network in clear.
  if (mediaNodes && config.mediaNodes?.allowPlain) logger.warn("MEDIA_NODE_ALLOW_PLAIN: media nodes' control channel accepted in clear (SRTP keys readable on the network) — a lab setting, never production");
  const rooms = await RoomDirectory.create({
    pool,
    network: config.mediasoup.network,
    spreadAfterConsumers: config.mediasoup.spreadAfterConsumers,
    ...(mediaNodes ? { remote: mediaNodes } : {}),
    io,
    attendance,
    logger,
    ...(ownership ? { ownership } : {}),
  });
  const forwarding = shared.redis && ownership ? await RoomForwarding.start({ io, redis: shared.redis, ownership, rooms, secret: config.auth.jwtSecret, logger }) : undefined;
  const resumable = new ResumableSessions(config.resumeGraceMs);
  const moderation = new Moderation({ io, channels: rooms.channels, store: new DbModerationStore(db, logger), logger });
  const recordings = new RecordingService({ db, rooms: recordingRoomPort(io, rooms.channels, moderation), config: config.recording, dataDir: config.files.dataDir, logger });
  const cases = new CaseService(db, secrets);
  // Cases stored before duties existed get theirs from their history (once; in the background, so a large
  // database does not delay the start; until then their stored single deadline is shown).
  cases.backfillDuties().then(
    (count) => count > 0 && logger.info({ cases: count }, "computed the open duties of existing cases from their history"),
    (error: unknown) => logger.error({ err: error }, "back-fill of case duties failed; it is retried at the next start"),
  );
  // The one key sealing stored secrets (certificate passwords, the SMTP password): SERVER_KEY, or its 0600
  // file (made on first start). What earlier versions sealed under their own two keys is sealed again under
  // it now, before anything reads a sealed value.
  const serverKey = ServerKey.load(config.serverKey);
  const certificates = new CertificateService(db, serverKey);
  const mailSettings = new MailSettingsService(db, serverKey);
  const legacyKeys = LegacyKeys.load(config.serverKey.legacy);
  if (!legacyKeys.none) {
    const resealed = { certificatePasswords: await certificates.resealLegacy(legacyKeys), smtpPassword: await mailSettings.resealLegacy(legacyKeys) };
    logger.info({ ...resealed, legacyKeys: legacyKeys.names }, "stored secrets sealed under the earlier keys are now sealed under the server key; keep the earlier keys only while an older backup may be restored");
  }
  const signer = new DocumentSigner(db, serverKey);
  const reception = new ReceptionService(db, {
    cases,
    secrets,
    dataDir: config.files.dataDir,
    joinOpensMinutes: config.reception.joinOpensMinutes,
    recordDenunciations: config.reception.recordDenunciations,
    signer,
  });
  const receptions = new ReceptionRooms({ db, io, channels: rooms.channels, reception, moderation, recordings, logger, ...(forwarding ? { elsewhere: forwarding } : {}) });
  const directiveEvents = new DirectiveEvents((error, event) => logger.error({ err: error, event: event.type }, "a directive listener failed"));
  const directiveTasks = new DirectiveTasks(db, config.files.dataDir, directiveEvents);
  // Links in mails point at PUBLIC_URL, else at the address bound (known once listening).
  let mailBase = config.http.publicUrl ?? "";
  const mailLinks = { base: () => mailBase };
  // A directive assigned to a unit is mailed to its officers and leaders, queued in the directive's own
  // transaction; its reminders go with the deadline check.
  const directiveMail = new DirectiveMail(db, mailLinks);
  const minutes = new MinutesService(db, directiveEvents, { recordAssignment: (tx, assignment) => directiveMail.queueAssignment(tx, assignment) });
  const handlers: RequestHandlers = {
    ...receptions.wrapRecording(recordingHandlers(recordings, moderation)),
    ...receptions.handlers(),
    ...mediaHandlers(rooms, attendance, resumable, moderation, new MeetingAccess(db), receptions, new BriefingRoster({ db, io, moderation, logger }), new IceServerIssuer(config.ice)),
    ...chatHandlers(io, rooms.channels, db),
    ...minutesHandlers(io, db, minutes, moderation),
    ...chairControlHandlers(io, rooms.channels, moderation, resumable, (room, session) => receptions.ended(room.id, session)),
  };
  const revocation = new AccessRevocation(io);
  attachDispatcher(io, {
    handlers,
    onDisconnect: (session, reason) => {
      // A revoked account does not keep its place waiting to resume: it leaves now.
      if (AccessRevocation.revoked(session.socket, reason) && session.membership) session.membership.room.leave(session.membership.peer, "removed");
      else {
        // Through another process, the site can resume only if that process can find its room.
        const held = session.membership;
        if (held && ownership) void ownership.rememberPeer(held.peer.id, held.room.id, config.resumeGraceMs).catch((error: unknown) => logger.error({ err: error }, "cannot note a dropped peer's room in Redis"));
        holdForResume(session, resumable);
      }
      receptions.guestGone(session.actor);
    },
    onAbandoned: (roomId, peerId, session) => {
      dropUnclaimedPeer(rooms, resumable, roomId, peerId, session).catch((error: unknown) => logger.error({ err: error, roomId }, "cannot let an unclaimed peer go"));
    },
    onConnect: (socket) => {
      revocation.track(socket);
      receptions.attachGuest(socket);
    },
    chairsHere: (session) => {
      const { room, peer } = currentMembership(session);
      return moderation.isChair(room, peer);
    },
    logger,
    db,
    jwtSecret: config.auth.jwtSecret,
    ...(forwarding ? { forwarding, confirmServing: (startedAt) => rooms.confirmOwnership(startedAt) } : {}),
  });

  metrics.observe({ pool, rooms, io, db });
  const health = createHealthCheck({ pool, db, rooms: () => rooms.size });
  const auth = new AuthService(db, config.auth, revocation, shared.limiters);
  // Mail: settings (password sealed with the server key), the queue's worker, and what produces mail.
  const mailQueue = new MailQueue({ db, settings: mailSettings, options: config.mail, logger });
  const invitations = new BriefingInvitations(mailSettings, mailLinks);
  const deadlineWarnings = new CaseDeadlineWarnings(db, mailSettings, mailLinks);
  const routes = apiRoutes({ db, auth, config, rooms, recordings, cases, reception, revocation, signing: { certificates, signer }, directives: { minutes: new MeetingMinutesService(db, undefined, signer), tasks: directiveTasks }, mail: { settings: mailSettings, queue: mailQueue, invitations }, limiters: shared.limiters });
  handleHttp = createApp({
    logger,
    rooms,
    health,
    clientDist: config.http.clientDist,
    routes,
    db,
    jwtSecret: config.auth.jwtSecret,
    version: process.env.npm_package_version ?? "dev",
    metrics,
    metricsToken: config.metrics.token,
    responseCheck: config.env === "production" ? "strip" : "strict",
    ...(config.http.corsOrigin ? { corsOrigin: config.http.corsOrigin } : {}),
  });

  // Not before this process receives the other processes' events (no-op without Redis).
  await shared.ready();
  const port = await listen(httpServer, config.http.port, config.http.host);
  const host = config.http.host.includes(":") ? `[${config.http.host}]` : config.http.host;
  const url = `${config.http.tls ? "https" : "http"}://${host}:${port}`;
  const redirectPort = config.http.tls?.redirectPort;
  const redirectServer = redirectPort === undefined ? undefined : createRedirectServer(() => port, config.http.publicUrl);
  const redirectUrl = redirectServer && redirectPort !== undefined ? `http://${host}:${await listen(redirectServer, redirectPort, config.http.host)}` : undefined;

  mailBase ||= url;
  mailQueue.start();
  const checkDeadlines = () =>
    Promise.all([deadlineWarnings.run(), directiveTasks.dueReminders().then((reminders) => directiveMail.remind(reminders))]).then(
      ([warnings, reminders]) => warnings + reminders > 0 && logger.info({ warnings, reminders }, "queued case deadline warnings and directive reminders"),
      (error: unknown) => logger.error({ err: error }, "case deadline warnings or directive reminders failed; retried at the next check"),
    );
  // A first check a minute after start (a restart does not wait a whole period), then every period.
  const deadlineTimers = config.mail.deadlineCheckMs > 0 ? [setTimeout(checkDeadlines, Math.min(60_000, config.mail.deadlineCheckMs)), setInterval(checkDeadlines, config.mail.deadlineCheckMs)] : [];
  for (const timer of deadlineTimers) timer.unref();

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      resumable.clear();
      for (const timer of deadlineTimers) clearTimeout(timer);
      await mailQueue.stop();
      await rooms.closeAll();
      await forwarding?.stop();
      await mediaNodes?.close();
      // Rooms closing stop their recordings; their files are composed before the workers go.
      await recordings.flush();
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await shared.close();
      await new Promise<void>((resolve) => (redirectServer ? redirectServer.close(() => resolve()) : resolve()));
      pool.close();
      await attendance.flush();
      await db.$disconnect();
    })());

  return { url, ...(redirectUrl ? { redirectUrl } : {}), io, pool, rooms, ...(ownership ? { ownership } : {}), db, cases, attendance, recordings, metrics, directives: { minutes, events: directiveEvents, tasks: directiveTasks }, routes, signer, mail: { queue: mailQueue, settings: mailSettings, deadlineWarnings, directiveMail }, close };
}
