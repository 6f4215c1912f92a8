import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { type BrowserContext, chromium } from "playwright-core";
import { generateRiskDataset, withRiskLevel } from "../../dev/local-api/riskDataset";
import type { WireRiskUser } from "../../provider/client/schema";
import { ensureChromium } from "../support/chromium";
import { reportSummaryOf, stackExportOf, writeStackExports } from "../support/reportStackExports";

/**
 * The report as a person sees it: the built command line writes it, Debian's Chromium renders it
 * offline, and the page must show its chart without loading anything but itself.
 */

jest.setTimeout(120_000);

const repoRoot = path.resolve(__dirname, "..", "..");
const cliJs = path.join(repoRoot, "dist", "sdk", "cli", "main.js");
const screenshotPath = path.join(repoRoot, "test-artifacts", "risk-report.png");
const chromiumArgs = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];

const base = generateRiskDataset({ size: 400, seed: 4 });
const levelAt = (i: number) => base[i]!.max_risk_level;
/** A week of drift: some users rise, a few fall, some leave, a few join. */
const day2Users = base
    .map((u, i) =>
        i % 23 === 0 && levelAt(i) !== "high"
            ? withRiskLevel(u, "high")
            : i % 41 === 0 && levelAt(i) === "high"
              ? withRiskLevel(u, "medium")
              : u,
    )
    .filter((_, i) => i % 57 !== 5)
    .concat(generateRiskDataset({ size: 12, seed: 40 }));
const firstHigh = day2Users.findIndex((u) => u.max_risk_level === "high");
/** A high-risk user whose data would load an image and rewrite the title if it were not escaped. */
const day3Users: WireRiskUser[] = day2Users
    .map((u, i) => (i % 19 === 0 && u.max_risk_level === "low" ? withRiskLevel(u, "medium") : u))
    .map((u, i) =>
        i === firstHigh
            ? {
                  ...u,
                  name: `<script>document.title="pwned"</script>`,
                  email: `x@<img src="http://127.0.0.1:9/leak.png" onerror="document.title='pwned'">.example`,
              }
            : u,
    );
const summaries = [
    reportSummaryOf({ users: base, fetchedAt: new Date("2025-01-17T09:00:00Z") }),
    reportSummaryOf({ users: day2Users, fetchedAt: new Date("2025-01-24T09:00:00Z") }),
    reportSummaryOf({ users: day3Users, fetchedAt: new Date("2025-01-31T09:00:00Z") }),
];

/** The one DOM call used, typed here: the tests compile without the DOM library. */
interface BrowserWindow {
    getComputedStyle(element: unknown): { fill: string };
}

let work: string;
let files: string[];
let context: BrowserContext;
let userDataDir: string;

function runBuiltCli(args: string[]) {
    return spawnSync(process.execPath, [cliJs, ...args], { cwd: work, encoding: "utf8" });
}

beforeAll(async () => {
    if (!existsSync(cliJs)) throw new Error(`${path.relative(repoRoot, cliJs)} is missing: run \`npm run build\` first.`);
    const chromiumPath = await ensureChromium();
    work = await mkdtemp(path.join(os.tmpdir(), "risk-report-e2e-"));
    // Given out of order: the report orders them by fetchedAt.
    files = await writeStackExports(work, {
        "week-3.json": stackExportOf([{ summary: summaries[2]! }]),
        "week-1.json": stackExportOf([{ summary: summaries[0]! }]),
        "week-2.json": stackExportOf([{ summary: summaries[1]! }]),
    });
    userDataDir = await mkdtemp(path.join(os.tmpdir(), "risk-report-chromium-"));
    context = await chromium.launchPersistentContext(userDataDir, {
        executablePath: chromiumPath,
        headless: true,
        args: chromiumArgs,
        viewport: { width: 1280, height: 900 },
        deviceScaleFactor: 1,
    });
    // Anything that tried the network would fail, and still show up in the request log.
    await context.setOffline(true);
}, 20 * 60_000); // a first run installs Chromium

afterAll(async () => {
    await context?.close();
    if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
    if (work) await rm(work, { recursive: true, force: true });
});

describe("the built command line", () => {
    it("is an executable script that writes both files and prints their paths", async () => {
        expect((await readFile(cliJs, "utf8")).startsWith("#!/usr/bin/env node\n")).toBe(true);
        const run = runBuiltCli(["report", ...files.map((f) => path.basename(f)), "--out-dir", "out"]);
        expect(run.stderr).toBe("");
        expect(run.status).toBe(0);
        expect(run.stdout).toBe(
            `Wrote ${path.join("out", "risk-report.md")}\nWrote ${path.join("out", "risk-report.html")}\nDigest check: 3 verified, 0 MISMATCH, 0 not checked (users encrypted), 0 without audit output.\n`,
        );
        const revealed = runBuiltCli(["report", ...files, "--out-dir", "out", "--name", "revealed", "--reveal-emails"]);
        expect(revealed.status).toBe(0);
    });

    it("exits 2 on a missing file with one line naming it, and no stack trace", () => {
        const run = runBuiltCli(["report", "nope.json"]);
        expect(run.status).toBe(2);
        expect(run.stdout).toBe("");
        expect(run.stderr).toBe(
            "error: nope.json: file not found. Check the path. Create it with `pulumi stack export --show-secrets --file <file>` in the stack's project folder.\n",
        );
    });
});

describe("the HTML report in Chromium", () => {
    for (const name of ["risk-report", "revealed"]) {
        it(`${name}.html loads nothing but itself and runs nothing from the data`, async () => {
            const page = await context.newPage();
            const requests: string[] = [];
            const problems: string[] = [];
            page.on("request", (r) => void requests.push(r.url()));
            page.on("console", (m) => void (m.type() === "error" && problems.push(m.text())));
            page.on("pageerror", (e) => void problems.push(e.message));
            const url = pathToFileURL(path.join(work, "out", `${name}.html`)).href;
            await page.goto(url, { waitUntil: "load" });
            expect(requests).toEqual([url]);
            expect(problems).toEqual([]);
            expect(await page.title()).toBe("Cloudflare Zero Trust risk report");
            const highRisk = await page.locator("#high-risk-users").innerText();
            expect(highRisk).toContain(`@<img src="http://127.0.0.1:9/leak.png" onerror="document.title='pwned'">.example`);
            if (name === "revealed") expect(highRisk).toContain(`<script>document.title="pwned"</script>`);
            expect(await page.locator("img, script, iframe, object, embed, link").count()).toBe(0);
            await page.close();
        });
    }

    it("shows the headings, and one rendered bar per level per export with its count", async () => {
        const page = await context.newPage();
        await page.goto(pathToFileURL(path.join(work, "out", "risk-report.html")).href, { waitUntil: "load" });
        expect(await page.locator("h1").innerText()).toBe("Cloudflare Zero Trust risk report");
        const h2 = await page.locator("h2").allInnerTexts();
        expect(h2).toEqual([
            "Exports",
            "Users per risk level",
            "Export 1: week-1.json",
            "Export 2: week-2.json",
            "Export 3: week-3.json",
            "Trends",
            "High-risk users",
        ]);

        const chart = page.locator("#distribution svg.risk-chart");
        expect(await chart.count()).toBe(1);
        const chartBox = (await chart.boundingBox())!;
        expect(chartBox.width).toBeGreaterThan(300);
        expect(chartBox.height).toBeGreaterThan(200);
        expect(await chart.getAttribute("role")).toBe("img");

        const bars = chart.locator("rect.bar");
        expect(await bars.count()).toBe(9);
        const levels = ["high", "medium", "low"] as const;
        const rgb = { high: "rgb(198, 40, 40)", medium: "rgb(217, 119, 6)", low: "rgb(46, 125, 50)" };
        const heights: Record<string, number> = {};
        for (let e = 1; e <= 3; e++) {
            for (const level of levels) {
                const bar = chart.locator(`rect.bar[data-export="${e}"][data-level="${level}"]`);
                expect(await bar.count()).toBe(1);
                const box = (await bar.boundingBox())!;
                expect(box.width).toBeGreaterThan(0);
                expect(box.height).toBeGreaterThan(0);
                // Inside the chart, not clipped away.
                expect(box.y).toBeGreaterThanOrEqual(chartBox.y);
                expect(box.y + box.height).toBeLessThanOrEqual(chartBox.y + chartBox.height);
                expect(await bar.evaluate((el) => (globalThis as unknown as BrowserWindow).getComputedStyle(el).fill)).toBe(rgb[level]);
                const expected = summaries[e - 1]!.counts[level];
                expect(Number(await bar.getAttribute("data-count"))).toBe(expected);
                expect(await bar.locator("title").textContent()).toBe(
                    `Export ${e} · ${level[0]!.toUpperCase()}${level.slice(1)}: ${expected.toLocaleString("en-US")} users`,
                );
                heights[`${e}:${level}`] = box.height;
            }
        }
        // Taller bars for larger counts, on one scale across exports.
        for (let e = 1; e <= 3; e++) expect(heights[`${e}:low`]!).toBeGreaterThan(heights[`${e}:high`]!);
        expect(heights["3:high"]! / heights["1:low"]!).toBeCloseTo(summaries[2]!.counts.high / summaries[0]!.counts.low, 1);

        const countLabels = await chart.locator("text.bar-count").allTextContents();
        expect(countLabels).toEqual(summaries.flatMap((s) => levels.map((l) => s.counts[l].toLocaleString("en-US"))));
        for (const label of await chart.locator("text.bar-count").all()) expect((await label.boundingBox())!.width).toBeGreaterThan(0);
        expect(await chart.locator("text.group-label").allTextContents()).toEqual(["Export 1", "Export 2", "Export 3"]);
        expect(await chart.locator("text.group-sublabel").allTextContents()).toEqual([
            "2025-01-17 09:00 UTC",
            "2025-01-24 09:00 UTC",
            "2025-01-31 09:00 UTC",
        ]);
        expect(await chart.locator("text.bar-level").allTextContents()).toEqual([...levels, ...levels, ...levels]);
        expect(await chart.locator(".legend text").allTextContents()).toEqual(["High", "Medium", "Low"]);

        // The top of the page down to the chart and its table: what a reader sees first.
        const distribution = (await page.locator("#distribution").boundingBox())!;
        await mkdir(path.dirname(screenshotPath), { recursive: true });
        await page.screenshot({
            path: screenshotPath,
            fullPage: true,
            clip: { x: 0, y: 0, width: 1280, height: Math.ceil(distribution.y + distribution.height + 16) },
        });
        expect(existsSync(screenshotPath)).toBe(true);
        await page.close();
    });
});
