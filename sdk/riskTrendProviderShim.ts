import type * as pulumi from "@pulumi/pulumi";
import { loadProviderModule } from "./loadProviderModule";

/** Like `riskSummaryProviderShim`: serialized into the state, it captures only a package specifier. */
const load = () => loadProviderModule("pulumi-cloudflare-risk/dynamic/riskTrend") as typeof import("../provider/riskTrendProvider");

export const riskTrendProviderShim: pulumi.dynamic.ResourceProvider = {
    check: (olds, news) => load().check(olds, news),
    diff: (id, olds, news) => load().diff(id, olds, news),
    create: (inputs) => load().create(inputs),
    update: (id, olds, news) => load().update(id, olds, news),
    delete: () => load().remove(),
};
