import * as path from "node:path";
import { generateRiskDataset } from "../local-api/riskDataset";
import { toRiskUser } from "../../provider/summary/toRiskUser";
import { decodeStoredRiskUsers, encodeStoredRiskUsers } from "../../provider/storage/storedRiskUsers";
import { workerMain } from "./workerProtocol";

/**
 * What carrying `users` through gRPC costs the dynamic-provider process: its read result goes through
 * `google.protobuf.Struct.fromJavaScript` and `serializeBinary` (google-protobuf, the copy
 * @pulumi/pulumi loads), and the program decodes it again. Timed and weighed for the users as
 * objects (what the provider returned at first), as one JSON string, and as the provider returns them
 * now: gzip + base64 of that string (provider/storage/storedRiskUsers.ts). One encoding per fresh process
 * (run with `--expose-gc`).
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

export interface StructMessage {
    serializeBinary(): Uint8Array;
    toJavaScript(): Record<string, unknown>;
}

export interface StructModule {
    Struct: {
        fromJavaScript(value: Record<string, unknown>): StructMessage;
        deserializeBinary(bytes: Uint8Array): StructMessage;
    };
}

/** The google-protobuf that @pulumi/pulumi itself resolves, whatever the hoisting. */
export function loadStruct(): StructModule {
    const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
    return require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [pulumiDir] })) as StructModule;
}

async function sample(args: ProtobufEncodingArgs): Promise<ProtobufEncodingSample> {
    const { Struct } = loadStruct();
    const users = generateRiskDataset({ size: args.users }).map(toRiskUser);
    (globalThis as { gc?: () => void }).gc?.();
    const startRssBytes = process.memoryUsage().rss;

    let start = performance.now();
    const payload = args.encoding === "objects" ? users : args.encoding === "json" ? JSON.stringify(users) : encodeStoredRiskUsers(users);
    const bytes = Struct.fromJavaScript({ users: payload }).serializeBinary();
    const encodeMs = performance.now() - start;

    start = performance.now();
    const received = Struct.deserializeBinary(bytes).toJavaScript().users;
    const decoded = (
        args.encoding === "objects"
            ? received
            : args.encoding === "json"
              ? JSON.parse(received as string)
              : decodeStoredRiskUsers(received as string)
    ) as unknown[];
    const decodeMs = performance.now() - start;
    if (decoded.length !== users.length) throw new Error(`${args.encoding}: decoded ${decoded.length} users of ${users.length}`);
    return {
        encoding: args.encoding,
        encodeMs,
        decodeMs,
        bytes: bytes.length,
        startRssBytes,
        peakRssBytes: process.resourceUsage().maxRSS * 1024,
    };
}

workerMain(module, sample);
