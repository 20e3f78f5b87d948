/**
 * A readable API reference that works offline (no CDN): the page loads /api/openapi.json and lists each
 * operation with its parameters and schemas. Script served separately to satisfy the CSP.
 */
export const docsHtml = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Cầu Nối API</title>
<style>
body{font-family:"Noto Sans","DejaVu Sans",sans-serif;margin:0 auto;max-width:60rem;padding:1rem;color:#111827}
h1{color:#0b2a4a} details{border:1px solid #dde1e6;border-radius:8px;margin:.5rem 0;padding:.5rem .75rem;background:#fff}
summary{cursor:pointer} .m{display:inline-block;min-width:4rem;font-weight:700;text-transform:uppercase}
.get{color:#1f6fb8}.post{color:#15803d}.patch{color:#a15c00}.delete{color:#b42318}
pre{background:#f6f7f9;padding:.5rem;overflow:auto;font-size:.85rem} .lock{color:#6b7280;font-size:.85rem}
</style></head><body><h1>Cầu Nối API</h1><p>Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a></p>
<div id="ops">Loading…</div><script src="/api/docs.js"></script></body></html>`;

export const docsScript = `
fetch("/api/openapi.json").then(r => r.json()).then(doc => {
  const root = document.getElementById("ops"); root.textContent = "";
  for (const [path, ops] of Object.entries(doc.paths)) for (const [method, op] of Object.entries(ops)) {
    const d = document.createElement("details"); const s = document.createElement("summary");
    const m = document.createElement("span"); m.className = "m " + method; m.textContent = method;
    s.append(m, " " + path + " — " + op.summary);
    if (op.security) { const l = document.createElement("span"); l.className = "lock"; l.textContent = " (sign-in required)"; s.append(l); }
    d.append(s);
    const add = (title, value) => { if (!value) return; const h = document.createElement("h4"); h.textContent = title;
      const p = document.createElement("pre"); p.textContent = JSON.stringify(value, null, 2); d.append(h, p); };
    add("Parameters", op.parameters && op.parameters.length ? op.parameters : null);
    add("Request body", op.requestBody && op.requestBody.content["application/json"].schema);
    for (const [code, res] of Object.entries(op.responses)) add("Response " + code, res.content && res.content["application/json"].schema);
    root.append(d);
  }
});
`;
