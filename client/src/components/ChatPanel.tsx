import { type FormEvent, memo, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { ChatMessage } from "../../../signaling/protocol";
import { formatViTime } from "../dates";

/**
 * The room's chat, a side panel: every site reads it; it is kept with the meeting. Kept mounted while
 * closed (`open` false hides it), so a half-typed message survives closing it. Memoized: the room view
 * re-renders on every score, layer and speaker change, and 200 chat lines redrawn each time cost an old PC
 * about 1 % of a core for nothing (soak profile, README › Soak).
 */
export const ChatPanel = memo(function ChatPanel({ messages, selfPeerId, onSend, open }: { messages: ChatMessage[]; selfPeerId: string | null; onSend: (text: string) => void; open: boolean }) {
  const { t } = useTranslation();
  const [text, setText] = useState("");
  const list = useRef<HTMLOListElement>(null);

  // The newest message in view, as it arrives and when the panel opens.
  useEffect(() => {
    if (open) list.current?.scrollTo({ top: list.current.scrollHeight });
  }, [messages.length, open]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const message = text.trim();
    if (!message) return;
    onSend(message);
    setText("");
  };

  return (
    <section className="chat" id="room-chat" data-testid="chat" hidden={!open} aria-labelledby="room-chat-title">
      <h3 id="room-chat-title">{t("chat.title")}</h3>
      {messages.length === 0 ? (
        <p className="hint">{t("chat.empty")}</p>
      ) : (
        // Focusable: a long chat scrolls, and the keyboard must be able to scroll it.
        <ol className="chat-list" ref={list} aria-live="polite" aria-label={t("chat.title")} tabIndex={0}>
          {messages.map((message) => (
            <li key={message.id} data-testid="chat-message" className={message.peerId === selfPeerId ? "own" : undefined}>
              <span className="chat-meta">
                {message.displayName} · {formatViTime(message.at)}
              </span>
              <span className="chat-text">{message.text}</span>
            </li>
          ))}
        </ol>
      )}
      <form className="chat-form" onSubmit={submit}>
        <input data-testid="chat-input" value={text} maxLength={1000} placeholder={t("chat.placeholder")} aria-label={t("chat.placeholder")} onChange={(e) => setText(e.target.value)} />
        <button type="submit" className="primary" data-testid="chat-send">
          {t("chat.send")}
        </button>
      </form>
    </section>
  );
});
