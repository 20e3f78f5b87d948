import { createHmac } from "node:crypto";

/** One entry of RTCConfiguration.iceServers, as the browser takes it. */
export interface IceServer {
  urls: string[];
  username?: string;
  credential?: string;
}

export type IceTransportPolicy = "all" | "relay";

/** The ICE part of the configuration (signaling/config.ts): fixed servers, and a TURN relay sharing a secret with coturn. */
export interface IceConfig {
  /** From ICE_SERVERS: handed out as written (STUN, or a TURN server with fixed credentials). */
  servers: IceServer[];
  /** From TURN_URLS + TURN_SECRET: coturn with `use-auth-secret`, credentials made per peer. */
  turn?: { urls: string[]; secret: string; ttlSeconds: number };
  /** `relay` for sites whose network lets only the TURN relay through (ICE_TRANSPORT_POLICY). */
  transportPolicy: IceTransportPolicy;
}

/**
 * Time-limited TURN credentials, the "TURN REST API" scheme coturn checks with `use-auth-secret`:
 * username = "<expiry, unix seconds>:<who>", credential = base64(HMAC-SHA1(secret, username)).
 * coturn recomputes the HMAC from its `static-auth-secret` and refuses a username whose time has passed,
 * so the server never stores a TURN password and a leaked credential dies on its own.
 */
export function turnCredential(secret: string, who: string, expiresAtSeconds: number): { username: string; credential: string } {
  // A colon in `who` would shift coturn's parse of the timestamp; ids here are UUIDs, but be safe.
  const username = `${Math.floor(expiresAtSeconds)}:${who.replaceAll(":", "_")}`;
  const credential = createHmac("sha1", secret).update(username).digest("base64");
  return { username, credential };
}

/** What a client passes to mediasoup-client's createSendTransport / createRecvTransport. */
export interface IceOptions {
  iceServers?: IceServer[];
  iceTransportPolicy?: IceTransportPolicy;
}

/** Makes each transport's ICE servers: the fixed ones plus fresh TURN credentials for the signed-in user. */
export class IceServerIssuer {
  constructor(
    private readonly config: IceConfig,
    private readonly now: () => number = Date.now,
  ) {}

  /** True when clients get anything at all (otherwise responses stay as they were before TURN). */
  get configured(): boolean {
    return this.config.servers.length > 0 || this.config.turn !== undefined || this.config.transportPolicy !== "all";
  }

  forUser(userId: string): IceOptions {
    if (!this.configured) return {};
    const servers = [...this.config.servers];
    const { turn } = this.config;
    if (turn) {
      const expiresAt = Math.floor(this.now() / 1000) + turn.ttlSeconds;
      servers.push({ urls: turn.urls, ...turnCredential(turn.secret, userId, expiresAt) });
    }
    return { iceServers: servers, ...(this.config.transportPolicy === "relay" ? { iceTransportPolicy: "relay" } : {}) };
  }
}
