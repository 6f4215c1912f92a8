/**
 * Loads a provider implementation by its package specifier (`pulumi-cloudflare-risk/dynamic/...`,
 * an `exports` subpath). This function is serialized into the state with the provider, so it must
 * capture no path: the engine's dynamic-provider process resolves the specifier from its working
 * directory, the project's folder, i.e. from the program's own installation of the package. A stack
 * deployed from one checkout can then be previewed, refreshed and destroyed from any other. Its text
 * is stored with every resource, so it stays short (and free of comments, which would be stored too).
 */
export function loadProviderModule(specifier: string): unknown {
    try {
        return require(specifier);
    } catch (error) {
        if ((error as { code?: unknown } | null)?.code !== "MODULE_NOT_FOUND") throw error;
        throw new Error(`Cannot load ${specifier} from ${process.cwd()}: run \`npm install\` in the project, which must depend on pulumi-cloudflare-risk.`, { cause: error });
    }
}
