import { type FormEvent, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { ChatMessage } from "../../../signaling/protocol";

/** The room's chat: every site reads it; it is kept with the meeting. */
export function ChatPanel({ messages, selfPeerId, onSend }: { messages: ChatMessage[]; selfPeerId: string | null; onSend: (text: string) => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState("");
  const list = useRef<HTMLOListElement>(null);

  useEffect(() => {
    list.current?.scrollTo({ top: list.current.scrollHeight });
  }, [messages.length]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const message = text.trim();
    if (!message) return;
    onSend(message);
    setText("");
  };

  return (
    <details className="chat" data-testid="chat" open>
      <summary>
        {t("chat.title")} {messages.length > 0 && <span className="muted">({messages.length})</span>}
      </summary>
      {messages.length === 0 ? (
        <p className="hint">{t("chat.empty")}</p>
      ) : (
        <ol className="chat-list" ref={list} aria-live="polite">
          {messages.map((message) => (
            <li key={message.id} data-testid="chat-message" className={message.peerId === selfPeerId ? "own" : undefined}>
              <span className="chat-meta">
                {message.displayName} · {new Date(message.at).toLocaleTimeString("vi-VN", { hour: "2-digit", minute: "2-digit", timeZone: "Asia/Ho_Chi_Minh" })}
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
    </details>
  );
}
