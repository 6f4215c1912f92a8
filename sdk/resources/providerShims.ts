import type * as pulumi from "@pulumi/pulumi";

/*
 * The provider objects that Pulumi serializes into the state as `__provider`. They capture nothing
 * but package specifiers (exports subpaths of this package), so the text is small and identical from
 * machine to machine: the engine's dynamic-provider process resolves them from its working directory,
 * the project's folder, i.e. from the program's own installation of the package, and a stack
 * deployed from one checkout can be previewed, refreshed and destroyed from any other.
 *
 * Everything here is serialized by value, so it stays in this one file: a function imported from
 * another module of the package would be stored as a `require` of that module's path instead. The
 * functions hold no comments, which would be stored too.
 */

function loadProviderModule(specifier: string): unknown {
    try {
        return require(specifier);
    } catch (error) {
        if ((error as { code?: unknown } | null)?.code !== "MODULE_NOT_FOUND") throw error;
        throw new Error(
            `Cannot load ${specifier} from ${process.cwd()}: run \`npm install\` in the project, which must depend on pulumi-cloudflare-risk.`,
            { cause: error },
        );
    }
}

const loadSummary = () =>
    loadProviderModule("pulumi-cloudflare-risk/dynamic/riskSummary") as typeof import("../../provider/dynamic/riskSummary");
const loadTrend = () => loadProviderModule("pulumi-cloudflare-risk/dynamic/riskTrend") as typeof import("../../provider/dynamic/riskTrend");

/** Behind `RiskSummaryResource`: a read, during preview and update alike. */
export const riskSummaryProviderShim: pulumi.dynamic.ResourceProvider = {
    configure: (req) => loadSummary().configure(req),
    create: () => loadSummary().create(),
    read: (id, props) => loadSummary().read(id, props),
};

/** Behind `RiskTrend` and `RiskGate`. */
export const riskTrendProviderShim: pulumi.dynamic.ResourceProvider = {
    check: (olds, news) => loadTrend().check(olds, news),
    diff: (id, olds, news) => loadTrend().diff(id, olds, news),
    create: (inputs) => loadTrend().create(inputs),
    update: (id, olds, news) => loadTrend().update(id, olds, news),
    delete: () => loadTrend().remove(),
};
