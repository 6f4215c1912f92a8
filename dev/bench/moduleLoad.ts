import { median } from "./measure";
import type { ModuleLoadArgs, ModuleLoadSample } from "./moduleLoadWorker";
import { runWorker } from "./workerProtocol";

/**
 * Part of the engine findings: the load times the program and the dynamic-provider process pay for
 * @pulumi/pulumi and for this package, each sequence in fresh processes, medians of `runs`.
 */

export interface ModuleLoadRow {
    readonly label: string;
    readonly ms: number;
}

export interface ModuleLoadResult {
    readonly runs: number;
    readonly rows: ModuleLoadRow[];
}

interface Sequence {
    readonly modules: { specifier: string; label: string }[];
}

// As the dynamic-provider process loads them (@pulumi/pulumi, then the provider module), then the
// rest of the package a program imports; as a program loads them, split between the SDK it uses and
// the rest of the index; zod alone, which neither process loads on a read that succeeds.
const sequences: Sequence[] = [
    {
        modules: [
            { specifier: "@pulumi/pulumi", label: "`@pulumi/pulumi` (both processes load it, with or without this package)" },
            {
                specifier: "../../provider/dynamic/riskSummary",
                label: "this package's provider module, after `@pulumi/pulumi` (dynamic-provider process)",
            },
            { specifier: "undici", label: "`undici`, which the provider module loads with its first request" },
            { specifier: "../../index", label: "the rest of the package a program imports, after these" },
        ],
    },
    {
        modules: [
            { specifier: "@pulumi/pulumi", label: "`@pulumi/pulumi`, again (program process)" },
            { specifier: "../sdk/getRiskSummary", label: "the SDK alone, after `@pulumi/pulumi`: what a program uses" },
            {
                specifier: "../../index",
                label: "the rest of the package's index after the SDK (the page client loads with a first `fetchRiskSummary`)",
            },
        ],
    },
    { modules: [{ specifier: "zod", label: "`zod` alone, in a fresh process" }] },
];

export async function runModuleLoad(runs: number): Promise<ModuleLoadResult> {
    const rows: ModuleLoadRow[] = [];
    for (const sequence of sequences) {
        const samples: number[][] = [];
        for (let i = 0; i < runs + 1; i++) {
            const { ms } = await runWorker<ModuleLoadArgs, ModuleLoadSample>("moduleLoadWorker.js", {
                modules: sequence.modules.map((m) => m.specifier),
            });
            // The first process warms the file cache and is not kept.
            if (i > 0) samples.push(ms);
        }
        sequence.modules.forEach((m, index) => rows.push({ label: m.label, ms: median(samples.map((s) => s[index] as number)) }));
    }
    return { runs, rows };
}
