import i18n from "i18next";
import { initReactI18next } from "react-i18next";
import type { Locale } from "../../../signaling/protocol";
import { en } from "./en";
import { vi } from "./vi";

const STORAGE_KEY = "cau-noi.lang";

function storedLocale(): Locale {
  try {
    return localStorage.getItem(STORAGE_KEY) === "en" ? "en" : "vi";
  } catch {
    return "vi";
  }
}

void i18n.use(initReactI18next).init({
  resources: { vi: { translation: vi }, en: { translation: en } },
  lng: storedLocale(),
  fallbackLng: "vi",
  interpolation: { escapeValue: false },
  returnNull: false,
});

document.documentElement.lang = i18n.language;

/** Switches the UI language and remembers the choice on this computer. */
export function setLocale(locale: Locale): void {
  void i18n.changeLanguage(locale);
  document.documentElement.lang = locale;
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // Private windows may refuse storage; the choice then lasts for this page only.
  }
}

export function currentLocale(): Locale {
  return i18n.language === "en" ? "en" : "vi";
}

export { i18n };
