import * as path from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { generateRiskDataset } from "../local-api/riskDataset";
import { toRiskUser } from "../provider/riskUser";
import { workerMain } from "./workerProtocol";

/**
 * What carrying `users` through gRPC costs the dynamic-provider process: its read result goes through
 * `google.protobuf.Struct.fromJavaScript` and `serializeBinary` (google-protobuf, the copy
 * @pulumi/pulumi loads), and the program decodes it again. Timed and weighed for the users as
 * objects (what the provider returns today) and, for comparison, as one JSON string and as gzip +
 * base64 of that string. One encoding per fresh process (run with `--expose-gc`).
 */

export const protobufEncodings = ["objects", "json", "gzip"] as const;
export type ProtobufEncoding = (typeof protobufEncodings)[number];

export interface ProtobufEncodingArgs {
    readonly users: number;
    readonly encoding: ProtobufEncoding;
}

export interface ProtobufEncodingSample {
    readonly encoding: ProtobufEncoding;
    /** Value → Struct → bytes, as the dynamic provider answers a read. */
    readonly encodeMs: number;
    /** Bytes → Struct → value → users, as the program receives them. */
    readonly decodeMs: number;
    readonly bytes: number;
    /** RSS with the users built, before encoding. */
    readonly startRssBytes: number;
    readonly peakRssBytes: number;
}

interface StructMessage {
    serializeBinary(): Uint8Array;
    toJavaScript(): Record<string, unknown>;
}

interface StructModule {
    Struct: {
        fromJavaScript(value: Record<string, unknown>): StructMessage;
        deserializeBinary(bytes: Uint8Array): StructMessage;
    };
}

/** The google-protobuf that @pulumi/pulumi itself resolves, whatever the hoisting. */
function loadStruct(): StructModule {
    const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
    return require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [pulumiDir] })) as StructModule;
}

async function sample(args: ProtobufEncodingArgs): Promise<ProtobufEncodingSample> {
    const { Struct } = loadStruct();
    const users = generateRiskDataset({ size: args.users }).map(toRiskUser);
    (globalThis as { gc?: () => void }).gc?.();
    const startRssBytes = process.memoryUsage().rss;

    let start = performance.now();
    const payload = args.encoding === "objects" ? users : args.encoding === "json" ? JSON.stringify(users) : gzipSync(JSON.stringify(users)).toString("base64");
    const bytes = Struct.fromJavaScript({ users: payload }).serializeBinary();
    const encodeMs = performance.now() - start;

    start = performance.now();
    const received = Struct.deserializeBinary(bytes).toJavaScript().users;
    const decoded = (args.encoding === "objects" ? received : JSON.parse(args.encoding === "json" ? (received as string) : gunzipSync(Buffer.from(received as string, "base64")).toString("utf8"))) as unknown[];
    const decodeMs = performance.now() - start;
    if (decoded.length !== users.length) throw new Error(`${args.encoding}: decoded ${decoded.length} users of ${users.length}`);
    return { encoding: args.encoding, encodeMs, decodeMs, bytes: bytes.length, startRssBytes, peakRssBytes: process.resourceUsage().maxRSS * 1024 };
}

workerMain(module, sample);
