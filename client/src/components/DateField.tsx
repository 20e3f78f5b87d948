import { useEffect, useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { formatViDate, parseViDate, parseViTime } from "../dates";

interface FieldProps {
  /** ISO date ("2026-12-06") or "hh:mm"; "" when empty. */
  value: string;
  onChange: (value: string) => void;
  required?: boolean;
  testId?: string;
  /** For fields without a visible label (filters); a visible <label> around the field is better. */
  ariaLabel?: string;
  /** The server refused this field's value (marked like a value that does not parse). */
  rejected?: boolean;
}

/**
 * A text field in the Vietnamese form, not the browser's native picker (which follows the OS locale:
 * mm/dd/yyyy and AM/PM on an English Windows). What was typed stays as typed until it parses; a text
 * that does not parse blocks the form with a Vietnamese message instead of sending a wrong date.
 */
const codecs = {
  date: { parse: parseViDate, format: formatViDate },
  time: { parse: parseViTime, format: (time: string) => time },
} as const;

function ViField({ value, onChange, required, testId, ariaLabel, rejected, kind }: FieldProps & { kind: "date" | "time" }) {
  const { t } = useTranslation();
  const { parse, format } = codecs[kind];
  const [text, setText] = useState(() => format(value));
  const input = useRef<HTMLInputElement>(null);
  const hintId = useId();
  const invalid = text.trim() !== "" && parse(text) === null;

  // A value set from outside (a reset, a default) replaces the text unless the text already means it.
  // Typing that does not parse changes no value, so it is never overwritten here.
  useEffect(() => {
    const { parse: read, format: write } = codecs[kind];
    // eslint-disable-next-line react-hooks/set-state-in-effect -- follows the parent's value
    setText((current) => (read(current) === value ? current : write(value)));
  }, [value, kind]);

  useEffect(() => {
    input.current?.setCustomValidity(invalid ? t(kind === "date" ? "daily.invalidDate" : "daily.invalidTime") : "");
  }, [invalid, kind, t]);

  return (
    <span className="vi-field">
      <input
        ref={input}
        type="text"
        inputMode="numeric"
        autoComplete="off"
        className={`vi-${kind}`}
        data-testid={testId}
        data-value={value}
        value={text}
        placeholder={kind === "date" ? "dd/mm/yyyy" : "hh:mm"}
        // Room for a stray " PM" or spaces, so they are refused rather than cut off into another time.
        maxLength={kind === "date" ? 12 : 8}
        required={required}
        aria-invalid={invalid || rejected}
        aria-describedby={hintId}
        {...(ariaLabel ? { "aria-label": ariaLabel } : {})}
        onChange={(event) => {
          setText(event.target.value);
          const parsed = event.target.value.trim() === "" ? "" : parse(event.target.value);
          if (parsed !== null) onChange(parsed);
        }}
        onBlur={() => {
          // Tidy what was typed ("6/12/2026" → "06/12/2026") once it is understood.
          const parsed = parse(text);
          if (parsed !== null) setText(format(parsed));
        }}
      />
      <small id={hintId} className={invalid ? "vi-field-hint error" : "vi-field-hint"}>
        {invalid ? t(kind === "date" ? "daily.invalidDate" : "daily.invalidTime") : t(kind === "date" ? "daily.dateHint" : "daily.timeHint")}
      </small>
    </span>
  );
}

export function DateField(props: FieldProps) {
  return <ViField {...props} kind="date" />;
}

export function TimeField(props: FieldProps) {
  return <ViField {...props} kind="time" />;
}
