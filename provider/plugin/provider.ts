import type * as provider from "@pulumi/pulumi/provider";
import { RiskSummaryArgumentError } from "../arguments/errors";
import { packageVersion } from "../summary/packageVersion";
import { functionTokens, getRiskCounts, getRiskSummary } from "./riskSummaryFunctions";
import * as baseline from "./riskBaselineResources";
import { pluginSchema } from "./schema";

const functions: Record<string, (args: unknown) => Promise<Record<string, unknown>>> = {
    [functionTokens.getRiskSummary]: getRiskSummary,
    [functionTokens.getRiskCounts]: getRiskCounts,
};

/**
 * The `cloudflare-risk` provider plugin: what every Pulumi language loads. It serves the same read,
 * arguments and errors as the TypeScript API. A bad argument is an invoke failure naming it, which the
 * calling language shows as `<token> invoke failed: <reason> (<argument>)`; any other error fails the
 * call with its message (never a credential).
 */
export const cloudflareRiskProvider: provider.Provider = {
    version: packageVersion(),
    getSchema: () => Promise.resolve(JSON.stringify(pluginSchema())),
    async invoke(token, inputs) {
        const call = functions[token];
        if (call === undefined) throw new Error(`unknown function ${token}: this plugin serves ${Object.keys(functions).join(", ")}`);
        try {
            return { outputs: await call(inputs) };
        } catch (error) {
            if (error instanceof RiskSummaryArgumentError)
                return { outputs: {}, failures: [{ property: error.argument, reason: error.message }] };
            throw error;
        }
    },
    check: (urn, olds, news) => baseline.check(urn, olds, news),
    diff: (id, urn, olds, news) => baseline.diff(id, urn, olds, news),
    create: (urn, inputs) => baseline.create(urn, inputs),
    update: (id, urn, olds, news) => baseline.update(id, urn, olds, news),
    delete: () => baseline.remove(),
};
