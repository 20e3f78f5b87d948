/**
 * The layer rules of the code base (README "Architecture", docs/architecture.md), checked by
 * `npm run lint`. Each rule says why it exists; a new dependency that breaks one fails CI.
 */
/** @type {import("dependency-cruiser").IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "sfu-is-standalone",
      comment: "sfu/ is the media engine (Room/Peer over mediasoup); it knows nothing of the signaling server, the database or the client.",
      severity: "error",
      from: { path: "^sfu/" },
      to: { path: "^(signaling|client)/" },
    },
    {
      name: "domain-does-no-io",
      comment: "signaling/domain/ is pure rules (deadlines, workflow, unit tree): no database, file system, network or clock of its own, so it can be tested by tables.",
      severity: "error",
      from: { path: "^signaling/domain/" },
      to: {
        pathNot: "^signaling/domain/|^signaling/protocol/",
        // Node's own modules are judged by the next rule: hashing (node:crypto) is computation, not I/O.
        dependencyTypesNot: ["type-only", "core"],
      },
    },
    {
      name: "domain-no-node-io",
      comment: "No node I/O modules in the pure domain.",
      severity: "error",
      from: { path: "^signaling/domain/" },
      to: { dependencyTypes: ["core"], path: "^(fs|node:fs|fs/promises|node:fs/promises|net|node:net|http|node:http|https|node:https|child_process|node:child_process|dgram|node:dgram)$" },
    },
    {
      name: "client-imports-only-the-protocol-and-pure-policies",
      comment:
        "The browser shares the zod protocol (signaling/protocol/) and the pure role rules (signaling/policies/*, not its index with AppError), so its navigation asks the server's own rules instead of re-deriving them.",
      severity: "error",
      from: { path: "^client/src/" },
      to: { path: "^(signaling|sfu|prisma|test)/", pathNot: "^signaling/protocol/|^signaling/policies/(?!index\\.ts$)[^/]+\\.ts$" },
    },
    {
      name: "client-asks-policies-through-access",
      comment: "One client module owns what an account may see and do (client/src/access.ts); pages ask it, never a policy or a role themselves.",
      severity: "error",
      from: { path: "^client/src/", pathNot: "^client/src/access\\.ts$" },
      to: { path: "^signaling/policies/" },
    },
    {
      name: "policies-are-pure",
      comment: "A policy judges facts it is given: no database, no I/O, so the client can run the same rules.",
      severity: "error",
      from: { path: "^signaling/policies/", pathNot: "^signaling/policies/index\\.ts$" },
      to: { path: "^(signaling|sfu|node_modules)/", pathNot: "^signaling/(policies|protocol|domain)/", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "protocol-is-leaf",
      comment: "The shared protocol is loaded by the browser too: it may import only zod and itself.",
      severity: "error",
      from: { path: "^signaling/protocol/" },
      to: { path: "^(signaling|sfu|client)/", pathNot: "^signaling/protocol/" },
    },
    {
      name: "routes-do-not-query-the-database",
      comment: "Route files parse, call one service and return; queries live in services (issue 14).",
      severity: "error",
      from: { path: "^signaling/api/" },
      to: { path: "^signaling/db/|^node_modules/@prisma/|generated/prisma", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "route-files-know-no-database",
      comment:
        "A resource's route file (signaling/api/<resource>/) parses, calls one service method and presents: it does not even see the database's types. Only the composition (api/index.ts) and the framework (mount.ts) hold a Db.",
      severity: "error",
      from: { path: "^signaling/api/[^/]+/" },
      to: { path: "^signaling/db/|^node_modules/@prisma/|generated/prisma" },
    },
    {
      name: "services-know-no-transport",
      comment: "signaling/services/ is used by REST and the real-time side alike: it imports neither, nor express or socket.io.",
      severity: "error",
      from: { path: "^signaling/services/" },
      to: { path: "^signaling/(api|realtime|http)/|^node_modules/(express|socket\\.io)/", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "rest-does-not-import-socket-code",
      comment: "REST and the real-time layer are siblings; what both need lives in a service.",
      severity: "error",
      from: { path: "^signaling/api/" },
      to: { path: "^signaling/realtime/", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "no-circular",
      comment: "Cycles make the start-up order and the tests fragile.",
      severity: "error",
      from: { path: "^(signaling|sfu)/" },
      to: { circular: true, dependencyTypesNot: ["type-only"] },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(node_modules|client/dist|build|signaling/db/generated)" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["import", "require", "node", "default", "types"] },
  },
};
