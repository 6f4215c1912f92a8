import { readFileSync, readdirSync } from "node:fs";
import * as path from "node:path";

/** The product's folders, lowest first: a file may import its own folder and those before it, never one after. */
const layers = [
    "errors",
    "model",
    "arguments",
    "client",
    "summary",
    "storage",
    "trend",
    "provider",
    "plugin",
    "sdk",
    "access",
    "policy",
    "report",
    "cli",
];
const repoRoot = path.resolve(__dirname, "..", "..");

function importsOf(file: string): string[] {
    const text = readFileSync(file, "utf8");
    return [...text.matchAll(/(?:from |import\()"(\.\.?\/[^"]+)"/g)].map((m) => m[1]!);
}

describe("the layers", () => {
    it("every import runs down the list of folders", () => {
        const upward: string[] = [];
        layers.forEach((layer, rank) => {
            for (const name of readdirSync(path.join(repoRoot, layer)).filter((f) => f.endsWith(".ts"))) {
                for (const spec of importsOf(path.join(repoRoot, layer, name))) {
                    const target = path.relative(repoRoot, path.resolve(repoRoot, layer, spec)).split(path.sep)[0]!;
                    if (layers.indexOf(target) > rank) upward.push(`${layer}/${name} imports ${spec}`);
                }
            }
        });
        expect(upward).toEqual([]);
    });

    it("the check sees an upward import", () => {
        expect(importsOf(path.join(repoRoot, "sdk", "riskSummaryResource.ts"))).toContain("../storage/storedRiskUsers");
    });
});
