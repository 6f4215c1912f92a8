import * as path from "node:path";
import type { LogRequest } from "@pulumi/pulumi/proto/engine_pb";

/** Messages to the engine, which shows them in `pulumi preview` and `pulumi up`. */
export interface EngineLog {
    /** `ephemeral`: a status that the next one replaces (the stack's row in the display), not a diagnostic that stays. */
    send(severity: "debug" | "info", message: string, ephemeral: boolean): void;
}

let engineLog: EngineLog | null | undefined;

/**
 * The engine's log service, which it passes to the dynamic-provider host as its only argument; the
 * host does not connect to it, so `pulumi.log` goes nowhere in this process. Undefined elsewhere (a
 * program, a test). A read does not know its resource's URN (the host does not pass it), so messages
 * carry none, and the engine shows them on the stack's row.
 */
export function connectEngineLog(): EngineLog | undefined {
    if (engineLog !== undefined) return engineLog ?? undefined;
    engineLog = null;
    const [, script = "", address = ""] = process.argv;
    if (!/dynamic-provider/.test(script) || !/^[\w.-]+:\d+$/.test(address)) return undefined;
    try {
        // @pulumi/pulumi's own gRPC stubs and its copy of grpc-js, as its runtime uses them.
        const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
        const grpc = require(require.resolve("@grpc/grpc-js", { paths: [pulumiDir] })) as typeof import("@grpc/grpc-js");
        const stubs = require("@pulumi/pulumi/proto/engine_grpc_pb") as typeof import("@pulumi/pulumi/proto/engine_grpc_pb");
        const messages = require("@pulumi/pulumi/proto/engine_pb") as typeof import("@pulumi/pulumi/proto/engine_pb");
        const client = new stubs.EngineClient(address, grpc.credentials.createInsecure());
        const queue: LogRequest[] = [];
        let sending = false;
        // One at a time, so that statuses arrive in order; a failed delivery is dropped: messages never fail a read.
        const pump = (): void => {
            const next = queue.shift();
            sending = next !== undefined;
            if (next !== undefined) client.log(next, () => pump());
        };
        engineLog = {
            send(severity, message, ephemeral) {
                const request = new messages.LogRequest()
                    .setSeverity(severity === "debug" ? messages.LogSeverity.DEBUG : messages.LogSeverity.INFO)
                    .setMessage(message)
                    .setUrn("")
                    .setEphemeral(ephemeral);
                // Only the latest status matters: one still waiting to be sent is replaced.
                const stale = ephemeral ? queue.findIndex((r) => r.getEphemeral()) : -1;
                if (stale >= 0) queue.splice(stale, 1);
                queue.push(request);
                if (!sending) pump();
            },
        };
    } catch {
        engineLog = null;
    }
    return engineLog ?? undefined;
}
