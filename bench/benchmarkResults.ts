import type { ClientBenchmarkResult } from "./clientBenchmark";
import type { EngineBenchmarkResult } from "./engineBenchmark";
import type { FootprintResult } from "./footprintBenchmark";
import type { MachineInfo } from "./machine";
import type { ModuleLoadResult } from "./moduleLoad";
import type { PaginationBenchmarkResult } from "./paginationBenchmark";
import type { ProtobufEncodingResult } from "./protobufEncoding";

/** Everything one `npm run bench` measured, as the report and the target checks read it. */
export interface BenchmarkResults {
    readonly machine: MachineInfo;
    readonly versions: Record<string, string>;
    readonly durationMs: number;
    readonly client: ClientBenchmarkResult;
    readonly pagination: PaginationBenchmarkResult;
    readonly engine: EngineBenchmarkResult;
    readonly moduleLoad: ModuleLoadResult;
    readonly protobuf: ProtobufEncodingResult;
    readonly footprint: FootprintResult;
}
