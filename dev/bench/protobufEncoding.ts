import { median, runAlternating } from "./measure";
import { type ProtobufEncoding, type ProtobufEncodingArgs, type ProtobufEncodingSample, protobufEncodings } from "./protobufEncodingWorker";
import { runWorker } from "./workerProtocol";

/**
 * Part of the engine findings: the gRPC encoding of a large read in isolation, so that the
 * dynamic-provider process's memory can be told apart from the read itself.
 */

/** One encoding as the worker measured it. */
export type ProtobufEncodingRow = ProtobufEncodingSample;

export interface ProtobufEncodingResult {
    readonly users: number;
    readonly rounds: number;
    readonly rows: ProtobufEncodingRow[];
}

export async function runProtobufEncoding(users: number, rounds: number): Promise<ProtobufEncodingResult> {
    const samples = await runAlternating(
        protobufEncodings,
        (encoding) =>
            runWorker<ProtobufEncodingArgs, ProtobufEncodingSample>(
                "protobufEncodingWorker.js",
                { users, encoding },
                { nodeArgs: ["--expose-gc"] },
            ),
        { label: "protobuf", rounds, warmupRounds: 0 },
        (s) =>
            `encode ${s.encodeMs.toFixed(0)} ms, decode ${s.decodeMs.toFixed(0)} ms, peak RSS ${(s.peakRssBytes / 1024 / 1024).toFixed(0)} MB`,
    );
    const rows = protobufEncodings.map((encoding) => {
        const list = samples[encoding];
        const pick = (f: (s: ProtobufEncodingSample) => number) => median(list.map(f));
        return {
            encoding,
            encodeMs: pick((s) => s.encodeMs),
            decodeMs: pick((s) => s.decodeMs),
            bytes: pick((s) => s.bytes),
            startRssBytes: pick((s) => s.startRssBytes),
            peakRssBytes: pick((s) => s.peakRssBytes),
        };
    });
    return { users, rounds, rows };
}
