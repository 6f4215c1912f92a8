import {
    argumentNames,
    authHeaders,
    environmentSource,
    resolveBaseUrl,
    resolveCredentials,
    stackConfigNames,
} from "../../../../provider/client/credentials";
import { RiskSummaryArgumentError } from "../../../../provider/arguments/errors";

const args = (values: Record<string, string | undefined>) => ({ values, names: argumentNames });
const config = (values: Record<string, string | undefined>) => ({ values, names: stackConfigNames });
const env = (values: Record<string, string>) => environmentSource(values);

describe("resolveCredentials", () => {
    it("prefers arguments, then stack config, then the environment", () => {
        const environment = env({ CLOUDFLARE_API_TOKEN: "from-env" });
        expect(resolveCredentials([args({ apiToken: "from-args" }), config({ apiToken: "from-config" }), environment])).toEqual({
            kind: "token",
            apiToken: "from-args",
        });
        expect(resolveCredentials([args({}), config({ apiToken: "from-config" }), environment])).toEqual({
            kind: "token",
            apiToken: "from-config",
        });
        expect(resolveCredentials([args({}), config({}), environment])).toEqual({ kind: "token", apiToken: "from-env" });
    });

    it("takes the first source that sets any credential as a whole, never mixing sources", () => {
        const resolved = resolveCredentials([
            config({ apiKey: "cfg-key", email: "ops@example.com" }),
            env({ CLOUDFLARE_API_TOKEN: "from-env" }),
        ]);
        expect(resolved).toEqual({ kind: "key", apiKey: "cfg-key", email: "ops@example.com" });
    });

    it("reads the Global API key and email from the environment", () => {
        expect(resolveCredentials([env({ CLOUDFLARE_API_KEY: "k", CLOUDFLARE_EMAIL: "a@example.com" })])).toEqual({
            kind: "key",
            apiKey: "k",
            email: "a@example.com",
        });
    });

    it("rejects a token and a key in the same source, naming that source's keys", () => {
        expect(() => resolveCredentials([config({ apiToken: "t", apiKey: "k", email: "a@example.com" })])).toThrow(
            /"cloudflare:apiToken".*cloudflare:apiKey/,
        );
        expect(() => resolveCredentials([env({ CLOUDFLARE_API_TOKEN: "t", CLOUDFLARE_API_KEY: "k" })])).toThrow(RiskSummaryArgumentError);
    });

    it("names the missing half of a Global API key", () => {
        expect(() => resolveCredentials([env({ CLOUDFLARE_API_KEY: "k" })])).toThrow(/"CLOUDFLARE_EMAIL"/);
        expect(() => resolveCredentials([args({ email: "a@example.com" })])).toThrow(/"apiKey"/);
    });

    it("treats empty environment variables as unset", () => {
        expect(() => resolveCredentials([env({ CLOUDFLARE_API_TOKEN: "" })])).toThrow(/no Cloudflare credentials/);
    });

    it("refuses header-splitting values without echoing them", () => {
        const sneaky = "secret-value\r\nX-Injected: 1";
        let message = "";
        try {
            resolveCredentials([args({ apiToken: sneaky })]);
        } catch (error) {
            message = (error as Error).message;
        }
        expect(message).toContain('"apiToken"');
        expect(message).not.toContain("secret-value");
    });
});

describe("resolveBaseUrl", () => {
    it("follows the same order and defaults to Cloudflare's API", () => {
        expect(
            resolveBaseUrl([
                args({}),
                config({ baseUrl: "https://proxy.example.com/client/v4/" }),
                env({ CLOUDFLARE_BASE_URL: "http://127.0.0.1:9/client/v4" }),
            ]),
        ).toBe("https://proxy.example.com/client/v4");
        expect(resolveBaseUrl([args({}), env({ CLOUDFLARE_BASE_URL: "http://127.0.0.1:9/client/v4" })])).toBe(
            "http://127.0.0.1:9/client/v4",
        );
        expect(resolveBaseUrl([args({})])).toBe("https://api.cloudflare.com/client/v4");
    });

    it("allows plain http only to loopback, and no credentials in the URL", () => {
        expect(() => resolveBaseUrl([env({ CLOUDFLARE_BASE_URL: "http://10.0.0.8/client/v4" })])).toThrow(
            /"CLOUDFLARE_BASE_URL".*loopback/,
        );
        expect(() => resolveBaseUrl([args({ baseUrl: "https://user:pw@api.example.com" })])).toThrow(/must not carry credentials/);
        expect(resolveBaseUrl([args({ baseUrl: "http://localhost:8787/client/v4" })])).toBe("http://localhost:8787/client/v4");
        expect(resolveBaseUrl([args({ baseUrl: "http://[::1]:8787/client/v4" })])).toBe("http://[::1]:8787/client/v4");
    });
});

describe("authHeaders", () => {
    it("builds Cloudflare's two authentication schemes", () => {
        expect(authHeaders({ kind: "token", apiToken: "t" })).toEqual({ authorization: "Bearer t" });
        expect(authHeaders({ kind: "key", apiKey: "k", email: "e@example.com" })).toEqual({
            "x-auth-email": "e@example.com",
            "x-auth-key": "k",
        });
    });
});
