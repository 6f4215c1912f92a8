import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

export const packageName = "pulumi-cloudflare-risk";

let cached: string | undefined;

/** The installed package's version, found by walking up from this file (source or `dist/`). */
export function packageVersion(): string {
    if (cached !== undefined) return cached;
    for (let dir = __dirname; ; dir = dirname(dir)) {
        const file = join(dir, "package.json");
        if (existsSync(file)) {
            const pkg = JSON.parse(readFileSync(file, "utf8")) as { name?: string; version?: string };
            if (pkg.name === packageName && typeof pkg.version === "string") return (cached = pkg.version);
        }
        if (dirname(dir) === dir) return (cached = "unknown");
    }
}
