/** @type {import('jest').Config} */
const tsJest = ["ts-jest", { tsconfig: "tsconfig.json", diagnostics: { warnOnly: false } }];
// Examples import the package by name; tests run them against the sources, not a build.
const moduleNameMapper = {
    "^pulumi-cloudflare-risk$": "<rootDir>/index.ts",
    "^pulumi-cloudflare-risk/(access|policy|report)$": "<rootDir>/sdk/$1/index.ts",
};
const ts = require("typescript");
// The product's folders, as the build lists them.
const product = ts.readConfigFile("tsconfig.build.json", ts.sys.readFile).config.include.filter((entry) => !entry.endsWith(".ts"));

const project = (displayName, folder) => ({
    displayName,
    testEnvironment: "node",
    transform: { "^.+\\.ts$": tsJest },
    moduleNameMapper,
    testMatch: [`<rootDir>/test/${folder}/**/*.test.ts`],
});

module.exports = {
    // v8 coverage leaves the functions that Pulumi serializes untouched (babel/istanbul would
    // inject counters into them and break closure serialization).
    coverageProvider: "v8",
    collectCoverageFrom: [`{${product.join(",")}}/**/*.ts`],
    coverageThreshold: { global: { lines: 90 } },
    projects: [
        // One file's behaviour, mirroring the sources: test/unit/<root>/<folder>/<file>.test.ts.
        project("unit", "unit"),
        // The package as a whole: layers, public surface, bad input and the fault matrix (on the build).
        project("cross-cutting", "cross-cutting"),
        // The real Pulumi CLI, the embedded API and the packed tarball.
        project("e2e", "e2e"),
    ],
};
