/** @type {import('jest').Config} */
const tsJest = ["ts-jest", { tsconfig: "tsconfig.json", diagnostics: { warnOnly: false } }];
// Examples import the package by name; tests run them against the sources, not a build.
const moduleNameMapper = {
    "^pulumi-cloudflare-risk$": "<rootDir>/index.ts",
    "^pulumi-cloudflare-risk/(access|policy|report)$": "<rootDir>/$1/index.ts",
};

module.exports = {
    // v8 coverage leaves the functions that Pulumi serializes untouched (babel/istanbul would
    // inject counters into them and break closure serialization).
    coverageProvider: "v8",
    collectCoverageFrom: ["{errors,model,arguments,client,summary,storage,trend,provider,plugin,sdk,access,policy,report,cli}/**/*.ts"],
    coverageThreshold: { global: { lines: 90 } },
    projects: [
        {
            displayName: "unit",
            testEnvironment: "node",
            transform: { "^.+\\.ts$": tsJest },
            moduleNameMapper,
            testMatch: ["<rootDir>/test/unit/**/*.test.ts"],
        },
        {
            displayName: "e2e",
            testEnvironment: "node",
            transform: { "^.+\\.ts$": tsJest },
            moduleNameMapper,
            testMatch: ["<rootDir>/test/e2e/**/*.test.ts"],
        },
    ],
};
