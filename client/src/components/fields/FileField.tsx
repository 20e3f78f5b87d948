import { type ChangeEvent, useId, useState } from "react";
import { useTranslation } from "react-i18next";

interface FileFieldProps {
  /** What the files are, shown before the button ("Tệp chứng thư số"). */
  label: string;
  testId: string;
  accept: string;
  multiple?: boolean;
  required?: boolean;
  disabled?: boolean;
  /** Replaces the button's words while something runs ("Đang tải lên…"). */
  busyLabel?: string;
  /** Ids of hints that describe the field. */
  describedBy?: string;
  onChange: (event: ChangeEvent<HTMLInputElement>) => void;
}

/**
 * A file picker in the page's language. A bare `<input type="file">` is drawn by the browser in the
 * operating system's language ("Choose File / No file chosen" on the province's English Windows PCs);
 * here the input stays the real control — focusable with Tab, opened with Space or Enter, named for screen
 * readers, driven by tests with setInputFiles — but is drawn as a labelled button with the chosen names beside it.
 */
export function FileField({ label, testId, accept, multiple = false, required = false, disabled = false, busyLabel, describedBy, onChange }: FileFieldProps) {
  const { t } = useTranslation();
  const id = useId();
  const [names, setNames] = useState<string[]>([]);
  const labelId = `${id}-label`;
  const buttonId = `${id}-button`;
  const namesId = `${id}-names`;
  return (
    <div className="file-field">
      <span className="file-field-label" id={labelId}>
        {label}
      </span>
      <span className="file-field-row">
        <input
          id={id}
          type="file"
          className="file-field-input"
          data-testid={testId}
          accept={accept}
          multiple={multiple}
          required={required}
          disabled={disabled}
          aria-labelledby={`${labelId} ${buttonId}`}
          aria-describedby={[namesId, describedBy].filter(Boolean).join(" ")}
          onChange={(event) => {
            setNames([...(event.target.files ?? [])].map((file) => file.name));
            onChange(event);
          }}
        />
        <label htmlFor={id} id={buttonId} className="file-field-button" data-testid={`${testId}-button`} aria-disabled={disabled || undefined}>
          {busyLabel ?? (multiple ? t("files.chooseMany") : t("files.choose"))}
        </label>
        <span id={namesId} className="file-field-names" data-testid={`${testId}-names`} aria-live="polite">
          {names.length === 0 ? t("files.none") : names.join(", ")}
        </span>
      </span>
    </div>
  );
}
