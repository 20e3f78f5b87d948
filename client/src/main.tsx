import { type ComponentType, StrictMode, Suspense, lazy } from "react";
import { createRoot } from "react-dom/client";
import "./i18n";
import "./styles.css";

/**
 * Citizens' pages need no account and run on cheap phones over slow links, so each is its own chunk and
 * none of them downloads the staff app (cases, meetings with mediasoup-client, charts, administration).
 * Everything else is the staff app, itself one lazily loaded chunk.
 */
const entries: Record<string, () => Promise<ComponentType>> = {
  "/tra-cuu": () => import("./pages/LookupPage").then((module) => module.LookupPage),
  "/gui-don": () => import("./pages/SubmitPage").then((module) => module.SubmitPage),
  "/lich-tiep-dan": () => import("./reception/public/BookingPage").then((module) => module.BookingPage),
  "/tiep-dan/vao": () => import("./liveReception/GuestPage").then((module) => module.GuestPage),
};
const staffApp = () => import("./App").then((module) => module.App);
const Entry = lazy(async () => ({ default: await (entries[window.location.pathname] ?? staffApp)() }));

const container = document.getElementById("root");
if (!container) throw new Error("#root is missing from index.html");
createRoot(container).render(
  <StrictMode>
    <Suspense fallback={null}>
      <Entry />
    </Suspense>
  </StrictMode>,
);
