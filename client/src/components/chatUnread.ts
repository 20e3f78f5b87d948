import type { ChatMessage } from "../../../signaling/protocol";

/**
 * Messages that arrived while the chat panel was closed: not seen, and not this site's own. By message id,
 * so a history reloaded after a reconnection does not count again what was already read.
 */
export function countUnread(messages: readonly ChatMessage[], seen: ReadonlySet<string>, selfPeerId: string | null): number {
  return messages.filter((message) => !seen.has(message.id) && message.peerId !== selfPeerId).length;
}
