import { type InspectOptions, inspect } from "node:util";

// The errors being rendered by their own `[inspect.custom]`, whose inner call must format them as usual.
const rendering = new WeakSet<object>();

/**
 * Base class of every error this package raises, so callers can catch them as one family. `code` says
 * which kind of error it is and stays the same from version to version, where messages may change.
 */
export class CloudflareRiskError extends Error {
    readonly code: string = "CFRISK_ERROR";

    constructor(message: string, options?: { cause?: unknown }) {
        super(message, options);
        this.name = new.target.name;
        // An error thrown in an apply is the same object for every resource input and stack output
        // that depends on it, and Pulumi prefixes its message at each (runtime/rpc.js): a RiskGate and
        // a RiskTrend of one summary printed `error serializing property "accountId": error serializing
        // property "accountId": Invalid argument "accountId": ...`. V8 writes the stack's first line,
        // which is what Pulumi prints, when the stack is first read: reading it here keeps our message
        // alone there. (An accessor dropping those writes would make `message` vanish in
        // structuredClone and postMessage, which copy only a data property.)
        void this.stack;
        // Pulumi also stores the rejected promise on the error (runtime/debuggable.js); hidden, so that
        // inspecting the error does not print `promise: Promise { <rejected> [Circular *1] }`.
        Object.defineProperty(this, "promise", { configurable: true, enumerable: false, writable: true, value: undefined });
    }

    /**
     * What `util.inspect` shows for any Error (stack, own properties, cause), always without colours:
     * Node 20.19.6 and later (and 24.7 to 24.18) loop until the heap runs out when colouring a frame such as
     * `node_modules/@pulumi/output.ts:516` (nodejs/node#64011), and @pulumi/pulumi's program runner
     * inspects every uncaught error with `colors: true`, where its source maps produce such frames.
     */
    [inspect.custom](depth: number | null, options: InspectOptions, inspectFn: typeof inspect = inspect): unknown {
        if (rendering.has(this)) return this; // returning the value itself lets Node format it as usual
        const { stylize: _coloured, ...plain } = options as InspectOptions & { stylize?: unknown };
        rendering.add(this);
        try {
            return inspectFn(this, { ...plain, depth, colors: false });
        } finally {
            rendering.delete(this);
        }
    }
}
