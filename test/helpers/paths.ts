import path from "node:path";
import { repoRoot } from "../../signaling/paths";

export const templateDatabasePath = path.join(repoRoot, "data", "test", "template.db");
