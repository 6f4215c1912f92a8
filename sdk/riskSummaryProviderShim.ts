import type * as pulumi from "@pulumi/pulumi";
import { loadProviderModule } from "./loadProviderModule";

/**
 * The provider object that Pulumi serializes into the state as `__provider`. It captures nothing but
 * a package specifier, so the text stays small and identical from machine to machine; the engine's
 * dynamic-provider process loads the real code from the project's installed package when a method is called.
 */
const load = () => loadProviderModule("pulumi-cloudflare-risk/dynamic/riskSummary") as typeof import("../provider/riskSummaryProvider");

export const riskSummaryProviderShim: pulumi.dynamic.ResourceProvider = {
    configure: (req) => load().configure(req),
    create: () => load().create(),
    read: (id, props) => load().read(id, props),
};
