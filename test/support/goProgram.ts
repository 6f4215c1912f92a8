import { execFile } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";

const runFile = promisify(execFile);

/**
 * The cache that dev/scripts/setup-pulumi.sh builds the CLI into, outside the clone and shared by all
 * clones; Go programs the tests build are kept next to it.
 */
export function localCacheRoot(): string {
    return (
        process.env.PULUMI_CLOUDFLARE_RISK_CACHE ||
        path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache"), "pulumi-cloudflare-risk")
    );
}

export interface BuiltGoProgram {
    /** The executable, named after a digest of the module's sources. */
    executable: string;
    /** How long `go build` took (a first build downloads modules and compiles the SDK). */
    buildMs: number;
}

/**
 * `go build` of the main package of the module in `moduleDir` into the cache, under a name that
 * a digest of the module's sources picks, so that clones with different sources never share one
 * executable. Go's own module and build caches make every build after the first quick; the
 * executable is built beside its final name and renamed into place, so a concurrent run never
 * starts a half-written file.
 */
export async function buildGoProgram(moduleDir: string, name: string): Promise<BuiltGoProgram> {
    const digest = await sourceDigest(moduleDir);
    const dir = path.join(localCacheRoot(), "go-programs");
    await fs.mkdir(dir, { recursive: true });
    const executable = path.join(dir, `${name}-${digest}`);
    const partial = `${executable}.build-${randomBytes(4).toString("hex")}`;
    const started = Date.now();
    try {
        await runFile("go", ["build", "-trimpath", "-o", partial, "."], {
            cwd: moduleDir,
            env: {
                ...process.env,
                // go.mod and go.sum are committed: a build that wants to change them fails instead.
                GOFLAGS: "-mod=readonly -buildvcs=false",
                GOWORK: "off",
                GOTOOLCHAIN: "local",
                CGO_ENABLED: "0",
            },
            maxBuffer: 16 * 1024 * 1024,
        });
        await fs.rename(partial, executable);
    } catch (err) {
        await fs.rm(partial, { force: true });
        const stderr = (err as { stderr?: string }).stderr ?? "";
        throw new Error(`go build in ${moduleDir} failed: ${(err as Error).message}\n${stderr}`);
    }
    return { executable, buildMs: Date.now() - started };
}

async function sourceDigest(moduleDir: string): Promise<string> {
    const entries = await fs.readdir(moduleDir, { recursive: true });
    const sources = entries.filter((e) => /(^|\/)(go\.mod|go\.sum|[^/]+\.go)$/.test(e)).sort();
    const hash = createHash("sha256");
    for (const file of sources) {
        hash.update(`${file}\0`);
        hash.update(await fs.readFile(path.join(moduleDir, file)));
        hash.update("\0");
    }
    return hash.digest("hex").slice(0, 16);
}
