import { type ReactNode, useCallback, useEffect, useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";

export interface ConfirmRequest {
  title: string;
  text: string;
  /** The action's own words on the confirming button ("Kết thúc cuộc họp"), never a bare "OK". */
  confirmLabel: string;
}

interface Pending extends ConfirmRequest {
  resolve: (confirmed: boolean) => void;
}

/**
 * The one confirmation for actions that cannot be taken back (end a meeting, remove a site, lock, deactivate,
 * delete). A modal <dialog>: the browser keeps focus inside it and makes the page behind inert, and Esc
 * cancels. Focus starts on "Hủy", so a stray Enter never confirms; the confirming button is in the danger style.
 */
function ConfirmDialog({ pending, onDone }: { pending: Pending; onDone: (confirmed: boolean) => void }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const textId = useId();
  const answered = useRef(false);

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  const answer = (confirmed: boolean) => {
    if (answered.current) return;
    answered.current = true;
    ref.current?.close();
    onDone(confirmed);
  };

  return (
    <dialog
      ref={ref}
      className="confirm-dialog"
      role="alertdialog"
      aria-modal="true"
      aria-labelledby={titleId}
      aria-describedby={textId}
      data-testid="confirm-dialog"
      // Esc: the browser fires "cancel" then closes; both end up as "no".
      onCancel={(event) => {
        event.preventDefault();
        answer(false);
      }}
      onClose={() => answer(false)}
      onKeyDown={(event) => {
        // The modal dialog makes the page inert, but Tab past the last button would reach the browser's
        // own bar: keep it cycling between the dialog's buttons.
        if (event.key !== "Tab") return;
        const buttons = [...(ref.current?.querySelectorAll("button") ?? [])];
        const first = buttons[0];
        const last = buttons[buttons.length - 1];
        if (!event.shiftKey && document.activeElement === last) {
          event.preventDefault();
          first?.focus();
        } else if (event.shiftKey && document.activeElement === first) {
          event.preventDefault();
          last?.focus();
        }
      }}
    >
      <h2 id={titleId}>{pending.title}</h2>
      <p id={textId}>{pending.text}</p>
      <div className="confirm-actions">
        <button type="button" data-testid="confirm-cancel" autoFocus onClick={() => answer(false)}>
          {t("daily.confirmCancel")}
        </button>
        <button type="button" className="danger" data-testid="confirm-ok" onClick={() => answer(true)}>
          {pending.confirmLabel}
        </button>
      </div>
    </dialog>
  );
}

/**
 * `confirm(request)` resolves true only when the user pressed the action's button; render `dialog` once
 * in the component. Focus returns to what had it (the button that asked).
 */
export function useConfirm(): { confirm: (request: ConfirmRequest) => Promise<boolean>; dialog: ReactNode } {
  const [pending, setPending] = useState<Pending | null>(null);
  const opener = useRef<HTMLElement | null>(null);
  const confirm = useCallback(
    (request: ConfirmRequest) =>
      new Promise<boolean>((resolve) => {
        opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
        setPending({ ...request, resolve });
      }),
    [],
  );
  const dialog = pending ? (
    <ConfirmDialog
      pending={pending}
      onDone={(confirmed) => {
        setPending(null);
        pending.resolve(confirmed);
        opener.current?.focus();
      }}
    />
  ) : null;
  return { confirm, dialog };
}
