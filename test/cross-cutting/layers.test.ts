import { readFileSync, readdirSync } from "node:fs";
import * as path from "node:path";
import ts from "typescript";

const repoRoot = path.resolve(__dirname, "..", "..");

/** The product's folders, as the build lists them (tsconfig.build.json). */
const roots = (ts.readConfigFile(path.join(repoRoot, "tsconfig.build.json"), ts.sys.readFile).config.include as string[]).filter(
    (entry) => !entry.endsWith(".ts"),
);

/**
 * The product's folders, lowest first: a file may import its own folder and those before it, never
 * one after. `provider/` runs in the engine's provider processes; `sdk/` is what programs import.
 */
const layers = [
    "provider/errors",
    "provider/model",
    "provider/arguments",
    "provider/client",
    "provider/summary",
    "provider/storage",
    "provider/baseline",
    "provider/dynamic",
    "provider/plugin",
    "sdk/resources",
    "sdk/access",
    "sdk/policy",
    "sdk/report",
    "sdk/cli",
];

function importsOf(file: string): string[] {
    const text = readFileSync(file, "utf8");
    return [...text.matchAll(/(?:from |import\()"(\.\.?\/[^"]+)"/g)].map((m) => m[1]!);
}

/** The folder of `file` (relative to the repository) that the layers name, e.g. "provider/client". */
function layerOf(file: string): string {
    return file.split(path.sep).slice(0, 2).join("/");
}

describe("the layers", () => {
    it("name every folder of the product, and only those", () => {
        const folders = roots.flatMap((root) =>
            readdirSync(path.join(repoRoot, root), { withFileTypes: true })
                .filter((entry) => entry.isDirectory())
                .map((entry) => `${root}/${entry.name}`),
        );
        expect([...folders].sort()).toEqual([...layers].sort());
        expect(roots).toEqual(["provider", "sdk"]);
    });

    it("every import runs down the list of folders", () => {
        const upward: string[] = [];
        layers.forEach((layer, rank) => {
            for (const name of readdirSync(path.join(repoRoot, layer)).filter((f) => f.endsWith(".ts"))) {
                for (const spec of importsOf(path.join(repoRoot, layer, name))) {
                    const target = path.relative(repoRoot, path.resolve(repoRoot, layer, spec));
                    if (!layers.includes(layerOf(target))) upward.push(`${layer}/${name} imports ${spec}, outside the product`);
                    else if (layers.indexOf(layerOf(target)) > rank) upward.push(`${layer}/${name} imports ${spec}`);
                }
            }
        });
        expect(upward).toEqual([]);
    });

    it("the check sees an import of a lower layer", () => {
        const spec = "../../provider/storage/storedRiskUsers";
        expect(importsOf(path.join(repoRoot, "sdk", "resources", "riskSummaryResource.ts"))).toContain(spec);
        expect(layerOf(path.relative(repoRoot, path.resolve(repoRoot, "sdk", "resources", spec)))).toBe("provider/storage");
    });

    it("the package ships the product's folders, sources and build", () => {
        const files = JSON.parse(readFileSync(path.join(repoRoot, "package.json"), "utf8")).files as string[];
        for (const root of roots) expect(files).toEqual(expect.arrayContaining([root, `dist/${root}`]));
        expect(files.filter((f) => !f.startsWith("dist/index.") && f !== "index.ts" && f !== "bin").sort()).toEqual(
            roots.flatMap((root) => [root, `dist/${root}`]).sort(),
        );
    });
});
