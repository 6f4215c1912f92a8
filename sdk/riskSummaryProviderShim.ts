import type * as pulumi from "@pulumi/pulumi";

/**
 * The provider object that Pulumi serializes into the state as `__provider`. It captures nothing but
 * the implementation's module path, so the text stays small and identical from run to run; the engine's
 * dynamic-provider process loads the real code from the installed package when a method is called.
 */
const implementationPath = require.resolve("../provider/riskSummaryProvider");

const load = (): typeof import("../provider/riskSummaryProvider") => require(implementationPath);

export const riskSummaryProviderShim: pulumi.dynamic.ResourceProvider = {
    configure: (req) => load().configure(req),
    create: () => load().create(),
    read: (id, props) => load().read(id, props),
};
