import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";

/** Where dev/scripts/setup-chromium.sh puts Debian's Chromium. */
export const chromiumPath = "/usr/bin/chromium";

/**
 * Runs dev/scripts/setup-chromium.sh, which installs Chromium and a font with apt-get when they are
 * missing (a minute or two, once), so that `npm test` needs no set-up step of its own.
 */
export async function ensureChromium(): Promise<string> {
    const script = path.resolve(__dirname, "..", "..", "dev", "scripts", "setup-chromium.sh");
    await promisify(execFile)("bash", [script], { timeout: 15 * 60_000 }).catch((error: { stderr?: string }) => {
        throw new Error(`${script} failed: ${error.stderr ?? String(error)}`);
    });
    if (!existsSync(chromiumPath)) throw new Error(`${script} finished, but ${chromiumPath} is missing`);
    return chromiumPath;
}
