import { useCallback, useEffect, useState } from "react";
import { lastNFor, parseLastNChoice } from "./lastN";

const STORAGE_KEY = "cau-noi.lastN";

function storedChoice(): number | null {
  try {
    return parseLastNChoice(localStorage.getItem(STORAGE_KEY));
  } catch {
    return null;
  }
}

function screenWidth(): number {
  return typeof window === "undefined" ? 1366 : window.innerWidth;
}

/**
 * How many camera videos this computer receives in a briefing (last-N): the user's choice, remembered on
 * this computer, or the screen's default (a phone-width window takes fewer). `choice` null: automatic.
 */
export function useVideoBudget(): { n: number; automatic: number; choice: number | null; setChoice: (choice: number | null) => void } {
  const [choice, setChoiceState] = useState<number | null>(storedChoice);
  const [width, setWidth] = useState(screenWidth);
  useEffect(() => {
    const onResize = () => setWidth(screenWidth());
    window.addEventListener("resize", onResize);
    return () => window.removeEventListener("resize", onResize);
  }, []);
  const setChoice = useCallback((next: number | null) => {
    setChoiceState(next);
    try {
      if (next === null) localStorage.removeItem(STORAGE_KEY);
      else localStorage.setItem(STORAGE_KEY, String(next));
    } catch {
      // Private windows may refuse storage; the choice then lasts for this page only.
    }
  }, []);
  return { n: lastNFor(choice, width), automatic: lastNFor(null, width), choice, setChoice };
}
