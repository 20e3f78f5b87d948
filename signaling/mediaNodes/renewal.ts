import type { Logger } from "../logger";
import { type NodeTls, nodeCertificateAsync, renewBeforeMs } from "./tls";

export interface CertificateRenewal {
  /** The certificate served and published now. */
  current(): NodeTls;
  stop(): void;
}

/**
 * Keeps a running node's control-channel certificate valid (second review, finding 7: a node running past
 * its certificate's year was refused at its next reconnection until restarted). Some time before the end
 * (tls.ts renewBeforeMs: 30 days for a year's certificate) a new key and certificate are made off the event
 * loop and handed to `onRenewed`, which serves them and publishes them in the signed entry. Channels already
 * open keep working (their handshake is done); signaling processes pin the new certificate for the next
 * connection. A failed attempt is logged and tried again at the next check.
 */
export function renewCertificates(options: { nodeId: string; first: NodeTls; lifetimeMs: number; onRenewed: (tls: NodeTls) => void; logger: Logger }): CertificateRenewal {
  const log = options.logger.child({ component: "media-node-certificate" });
  const before = renewBeforeMs(options.lifetimeMs);
  // Often enough to act well within the margin; a timer cannot span months (setTimeout caps at ~24.8 days).
  const checkEveryMs = Math.max(1_000, Math.min(3_600_000, Math.floor(before / 5)));
  let current = options.first;
  let renewing = false;
  let expiredLogged = false;
  let stopped = false;
  const check = () => {
    const now = Date.now();
    if (renewing || now < current.notAfter - before) return;
    if (now >= current.notAfter && !expiredLogged) {
      expiredLogged = true;
      log.error({ notAfter: new Date(current.notAfter).toISOString() }, "the control channel's certificate has expired: signaling processes cannot connect anew until it is renewed");
    }
    renewing = true;
    nodeCertificateAsync(options.nodeId, new Date(), options.lifetimeMs).then(
      (tls) => {
        renewing = false;
        if (stopped) return;
        current = tls;
        expiredLogged = false;
        options.onRenewed(tls);
        log.info({ notAfter: new Date(tls.notAfter).toISOString() }, "renewed the control channel's certificate");
      },
      (error: unknown) => {
        renewing = false;
        log.error({ err: error }, "cannot renew the control channel's certificate; trying again");
      },
    );
  };
  const timer = setInterval(check, checkEveryMs);
  timer.unref();
  return {
    current: () => current,
    stop: () => {
      stopped = true;
      clearInterval(timer);
    },
  };
}
