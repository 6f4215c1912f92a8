import { existsSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { type LocalCloudflareApi, startLocalCloudflareApi } from "../../dev/local-api";
import {
    type ConsumerProject,
    ConsumerCommandError,
    type VersionRow,
    createConsumerProject,
    makeScratch,
    packTarball,
    removeScratch,
    rowName,
    versionRows,
} from "../support/consumerProject";
import { repoRoot } from "../support/localStack";

/**
 * The package as users get it: `npm pack`, installed into projects of their own outside the
 * repository, type-checked with their tsconfig, deployed by the CLI of each version row, then moved to
 * another path (a CI runner's new workspace, a colleague's checkout) and previewed, refreshed and
 * destroyed from there.
 */

jest.setTimeout(30 * 60 * 1000);

let api: LocalCloudflareApi;
let scratch: string;
let tarball: string;
let tarballFiles: readonly string[];

beforeAll(async () => {
    api = await startLocalCloudflareApi({ size: 300 });
    scratch = await makeScratch("risk-consumer-");
    ({ tarball, files: tarballFiles } = await packTarball(scratch));
});

afterAll(async () => {
    await api?.stop();
    await removeScratch(scratch);
});

/**
 * A project made from `template` in `<rowDir>/a/infra` (state in `<rowDir>/state`), as a user sets it
 * up: `npm install` of its own package.json, then of the package's tarball, then the stack's config.
 */
async function installedProject(
    template: "cjs" | "esm",
    rowDir: string,
    row: VersionRow,
    packageTarball: string,
): Promise<ConsumerProject> {
    const project = await createConsumerProject({
        template,
        dir: path.join(rowDir, "a", "infra"),
        backendDir: path.join(rowDir, "state"),
        row,
        dependencies: { "@pulumi/pulumi": row.pulumiSdk },
        devDependencies: template === "cjs" ? { "@types/node": `^${row.node}`, typescript: "~5.9.3" } : {},
    });
    await project.npmInstall([]);
    await project.npmInstall([packageTarball]);
    await project.pulumi(["config", "set", "accountId", api.accountId]);
    await project.pulumi(["config", "set", "cloudflare:baseUrl", api.baseUrl]);
    await project.pulumi(["config", "set", "--secret", "cloudflare:apiToken", api.credentials.apiToken]);
    return project;
}

async function stackOutputs(project: ConsumerProject, showSecrets = false): Promise<Record<string, unknown>> {
    const { stdout } = await project.pulumi(["stack", "output", "--json", ...(showSecrets ? ["--show-secrets"] : [])]);
    return JSON.parse(stdout) as Record<string, unknown>;
}

function servedCounts() {
    const users = api.users();
    const of = (level: string) => users.filter((u) => u.max_risk_level === level).length;
    return { total: users.length, high: of("high"), medium: of("medium"), low: of("low"), accountTotal: users.length };
}

function servedHighRiskEmails(): string[] {
    return [
        ...new Set(
            api
                .users()
                .filter((u) => u.max_risk_level === "high")
                .map((u) => u.email.toLowerCase()),
        ),
    ].sort();
}

/** The `__provider` inputs of this package's resources in a checkpoint, by resource type. */
function storedProviders(checkpoint: string): Record<string, string> {
    const { checkpoint: cp } = JSON.parse(checkpoint) as {
        checkpoint: { latest: { resources?: { type: string; inputs?: Record<string, unknown> }[] } };
    };
    const out: Record<string, string> = {};
    for (const r of cp.latest.resources ?? []) {
        if (r.type.includes("cloudflare-risk:") && typeof r.inputs?.__provider === "string") out[r.type] = r.inputs.__provider;
    }
    return out;
}

/**
 * Every place (JSON path) in the checkpoint whose text holds an absolute path of the machine that
 * deployed it. (The engine's own `sourcePosition`s are `project://` URIs, relative to the project.)
 */
function machinePathsIn(checkpoint: string, deployedFrom: string): string[] {
    const paths = [deployedFrom, repoRoot, scratch, os.homedir()];
    const found: string[] = [];
    const visit = (value: unknown, at: string): void => {
        if (typeof value === "string") {
            for (const p of paths) if (value.includes(p)) found.push(`${at} holds ${p}`);
        } else if (value !== null && typeof value === "object") {
            for (const [key, child] of Object.entries(value)) visit(child, `${at}.${key}`);
        }
    };
    visit(JSON.parse(checkpoint), "checkpoint");
    return found;
}

/** `file:line:column` of each stack frame. */
function frameFiles(stack: string): string[] {
    return stack
        .split("\n")
        .map((line) => /^\s+at (?:.*? \()?(.+?):\d+:\d+\)?$/.exec(line)?.[1])
        .filter((file): file is string => file !== undefined);
}

describe.each(versionRows.map((row) => [rowName(row), row] as const))("installed from the tarball: %s", (_name, row: VersionRow) => {
    let project: ConsumerProject;
    let rowDir: string;

    beforeAll(async () => {
        rowDir = path.join(scratch, `node${row.node}`);
        project = await installedProject("cjs", rowDir, row, tarball);
    });

    it("has one @pulumi/pulumi, the project's own", async () => {
        const { stdout } = await project.npm(["ls", "@pulumi/pulumi", "--all", "--parseable"]);
        const copies = stdout.split("\n").filter((line) => line.trim() !== "");
        expect(copies).toEqual([path.join(project.dir, "node_modules", "@pulumi", "pulumi")]);
        const { stdout: json } = await project.npm(["ls", "@pulumi/pulumi", "--json"]);
        expect((JSON.parse(json) as { dependencies: Record<string, { version: string }> }).dependencies["@pulumi/pulumi"]!.version).toBe(
            row.pulumiSdk,
        );
    });

    it("needs no @pulumi/cloudflare for the root; pulumi-cloudflare-risk/access names it when it is missing", async () => {
        const root = await project.node(["-e", 'require("pulumi-cloudflare-risk"); console.log(require.resolve.paths("x").length)']);
        expect(root.stdout.trim()).toMatch(/^\d+$/);
        const cloudflare = await project.node([
            "-e",
            'try { require.resolve("@pulumi/cloudflare"); console.log("present") } catch { console.log("absent") }',
        ]);
        expect(cloudflare.stdout.trim()).toBe("absent");
        const access = await project.node([
            "-e",
            'try { require("pulumi-cloudflare-risk/access") } catch (e) { console.log(e.code, e.message.split("\\n")[0]) }',
        ]);
        expect(access.stdout.trim()).toBe("MODULE_NOT_FOUND Cannot find module '@pulumi/cloudflare'");
    });

    it("type-checks with Pulumi's template tsconfig (commonjs, node resolution, no esModuleInterop, no skipLibCheck) and with nodenext", async () => {
        await expect(project.bin("tsc", ["--noEmit", "-p", "tsconfig.json"])).resolves.toBeDefined();
        await expect(project.bin("tsc", ["--noEmit", "-p", "tsconfig.nodenext.json"])).resolves.toBeDefined();
    });

    it("deploys, then an up with an unchanged account changes nothing, and the state holds no path of this machine", async () => {
        const up = await project.pulumi(["up", "--yes", "--skip-preview"]);
        expect(up.stdout).toMatch(/risk-trend/);
        const outputs = await stackOutputs(project, true);
        expect(outputs.counts).toEqual(servedCounts());
        expect(outputs.highRiskEmails).toEqual(servedHighRiskEmails());
        expect(String(outputs.nodeVersion).split(".")[0]).toBe(String(row.node));
        expect((await stackOutputs(project)).highRiskEmails).toBe("[secret]");
        // The second up gives RiskTrend and RiskGate their first baseline (`hasBaseline` turns true);
        // from then on an unchanged account changes nothing.
        await project.pulumi(["up", "--yes"]);
        await project.pulumi(["preview", "--expect-no-changes"]);
        await project.pulumi(["up", "--yes", "--expect-no-changes"]);
        const checkpoint = await project.checkpoint();
        expect(machinePathsIn(checkpoint, project.dir)).toEqual([]);
        expect(Object.keys(storedProviders(checkpoint)).sort()).toEqual([
            "pulumi-nodejs:dynamic/cloudflare-risk:RiskGate",
            "pulumi-nodejs:dynamic/cloudflare-risk:RiskSummary",
            "pulumi-nodejs:dynamic/cloudflare-risk:RiskTrend",
        ]);
    });

    it("moved to another path: preview shows no changes, refresh and destroy succeed without an up", async () => {
        const before = storedProviders(await project.checkpoint());
        await project.moveTo(path.join(rowDir, "b", "checkout", "infra"));
        await project.pulumi(["preview", "--expect-no-changes"]);
        await project.pulumi(["refresh", "--yes"]);
        // The engine rewrote the state from the new path; the stored providers are the same text.
        expect(storedProviders(await project.checkpoint())).toEqual(before);
        await project.pulumi(["destroy", "--yes"]);
        expect(JSON.parse((await project.pulumi(["stack", "export"])).stdout).deployment.resources ?? []).toEqual([]);
    });

    it("stack traces of the package's errors point at files in the tarball", async () => {
        for (const args of [
            ["--enable-source-maps", "trace.js"],
            ["-r", "source-map-support/register", "trace.js"],
        ]) {
            const { stdout } = await project.node(args);
            const { name, stack } = JSON.parse(stdout) as { name: string; stack: string };
            expect(name).toBe("RiskSummaryArgumentError");
            const installed = path.join(project.dir, "node_modules", "pulumi-cloudflare-risk") + path.sep;
            const ours = frameFiles(stack).filter((file) => file.startsWith(installed));
            // Source maps lead to the TypeScript sources, which ship in the tarball.
            expect(ours.length).toBeGreaterThan(0);
            expect(ours.some((file) => file.endsWith(".ts"))).toBe(true);
            for (const file of ours) {
                expect(tarballFiles).toContain(path.relative(installed, file));
                expect(existsSync(file)).toBe(true);
            }
        }
    });

    it("runs an ES module program", async () => {
        const esm = await installedProject("esm", path.join(rowDir, "esm"), row, tarball);
        await esm.pulumi(["up", "--yes", "--skip-preview"]);
        expect((await stackOutputs(esm)).counts).toEqual(servedCounts());
        await esm.pulumi(["destroy", "--yes"]);
    });

    // On the newest row only, to spare CI an install per row: test/e2e/yamlProgram.test.ts runs the plugin on the oldest Node.js.
    if (row === versionRows[versionRows.length - 1]) {
        it("serves a Pulumi YAML program through the provider plugin it ships, found in node_modules", async () => {
            const yaml = await createConsumerProject({
                template: "yaml",
                dir: path.join(rowDir, "yaml", "infra"),
                backendDir: path.join(rowDir, "yaml-state"),
                row,
                dependencies: { "@pulumi/pulumi": row.pulumiSdk },
            });
            await yaml.npmInstall([]);
            await yaml.npmInstall([tarball]);
            await yaml.pulumi(["config", "set", "accountId", api.accountId]);
            // The plugin takes credentials as the official provider does: arguments, else the environment.
            const credentials = { CLOUDFLARE_API_TOKEN: api.credentials.apiToken, CLOUDFLARE_BASE_URL: api.baseUrl };
            await yaml.pulumi(["up", "--yes"], credentials);
            const outputs = await stackOutputs(yaml);
            expect(outputs.counts).toEqual(servedCounts());
            expect(outputs.highRiskEmails).toBe("[secret]");
            expect((await stackOutputs(yaml, true)).highRiskEmails).toEqual(servedHighRiskEmails());
            // The second up records the gate's first baseline; from then on nothing changes.
            await yaml.pulumi(["up", "--yes"], credentials);
            await yaml.pulumi(["preview", "--expect-no-changes"], credentials);
            await yaml.pulumi(["destroy", "--yes"], credentials);
        });
    }
});

describe("a stack deployed by 0.1.0, whose state holds the path it was deployed from", () => {
    const row = versionRows[0]!;
    let project: ConsumerProject;
    let rowDir: string;

    beforeAll(async () => {
        rowDir = path.join(scratch, "from-0.1.0");
        project = await installedProject(
            "cjs",
            rowDir,
            row,
            path.join(__dirname, "fixtures", "consumer", "pulumi-cloudflare-risk-0.1.0.tgz"),
        );
        await project.pulumi(["up", "--yes", "--skip-preview"]);
    });

    it("fails to destroy once moved, and after one `pulumi up` with this version previews, refreshes and destroys from anywhere", async () => {
        const deployedFrom = project.dir;
        expect(await project.checkpoint()).toContain(path.join(deployedFrom, "node_modules"));
        await project.moveTo(path.join(rowDir, "b", "infra"));
        // What the README describes for 0.1.0 stacks.
        const failed = await project.pulumi(["destroy", "--yes"]).catch((error: unknown) => error);
        expect(failed).toBeInstanceOf(ConsumerCommandError);
        expect(`${(failed as ConsumerCommandError).stdout}${(failed as ConsumerCommandError).stderr}`).toMatch(
            /Cannot find module '[^']*\/a\/infra\/node_modules\/pulumi-cloudflare-risk\//,
        );

        // The upgrade: install this version, `pulumi up` once (it only rewrites the stored providers).
        await project.npmInstall([tarball]);
        await project.pulumi(["up", "--yes"]);
        expect(machinePathsIn(await project.checkpoint(), deployedFrom)).toEqual([]);
        await project.moveTo(path.join(rowDir, "c", "infra"));
        await project.pulumi(["preview", "--expect-no-changes"]);
        await project.pulumi(["refresh", "--yes"]);
        await project.pulumi(["destroy", "--yes"]);
    });
});
