/** Types of scripts/gen-pg-schema.mjs (imported by test/unit/pg-schema.test.ts). */
export declare const sourcePath: string;
export declare const targetPath: string;
export declare function pgSchemaOf(source: string): string;
