import type * as pulumi from "@pulumi/pulumi";

/** Like `riskSummaryProviderShim`: serialized into the state, it captures only the implementation's path. */
const implementationPath = require.resolve("../provider/riskTrendProvider");

const load = (): typeof import("../provider/riskTrendProvider") => require(implementationPath);

export const riskTrendProviderShim: pulumi.dynamic.ResourceProvider = {
    check: (olds, news) => load().check(olds, news),
    diff: (id, olds, news) => load().diff(id, olds, news),
    create: (inputs) => load().create(inputs),
    update: (id, olds, news) => load().update(id, olds, news),
    delete: () => load().remove(),
};
