import { workerMain } from "./workerProtocol";

/**
 * How long `require` takes for each module of a list, in order, in a fresh process: what a program
 * or the dynamic-provider process pays before it does anything. Later modules only pay for what the
 * earlier ones did not load.
 */

export interface ModuleLoadArgs {
    /** Specifiers as `require` takes them from dist/dev/bench. */
    readonly modules: readonly string[];
}

export interface ModuleLoadSample {
    readonly ms: number[];
}

async function load(args: ModuleLoadArgs): Promise<ModuleLoadSample> {
    const ms = args.modules.map((specifier) => {
        const start = performance.now();
        require(specifier);
        return performance.now() - start;
    });
    return { ms };
}

workerMain(module, load);
