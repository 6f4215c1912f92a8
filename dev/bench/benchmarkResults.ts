import type { ClientBenchmarkResult } from "./clientBenchmark";
import type { DriftBenchmarkResult } from "./driftBenchmark";
import type { EngineBenchmarkResult } from "./engineBenchmark";
import type { FootprintResult } from "./footprintBenchmark";
import type { MachineInfo } from "./machine";
import type { ModuleLoadResult } from "./moduleLoad";
import type { PaginationBenchmarkResult } from "./paginationBenchmark";
import type { PluginBenchmarkResult } from "./pluginBenchmark";
import type { ProtobufEncodingResult } from "./protobufEncoding";

/** Where and when a set of measurements was taken. */
export interface RunInfo {
    readonly machine: MachineInfo;
    readonly versions: Record<string, string>;
    readonly durationMs: number;
}

/** Everything one `npm run bench` measured, as the report and the target checks read it. */
export interface BenchmarkResults extends RunInfo {
    readonly client: ClientBenchmarkResult;
    readonly pagination: PaginationBenchmarkResult;
    readonly engine: EngineBenchmarkResult;
    readonly moduleLoad: ModuleLoadResult;
    readonly protobuf: ProtobufEncodingResult;
    readonly footprint: FootprintResult;
    /** Absent from results saved before the drift benchmark existed. */
    readonly drift?: DriftBenchmarkResult;
    /** Set when `drift` was measured by a run of its own (`--only drift`) and added to these results afterwards. */
    readonly driftRun?: RunInfo;
    /** Absent from results saved before the plugin benchmark existed. */
    readonly plugin?: PluginBenchmarkResult;
    /** Set when `plugin` was measured by a run of its own (`--only plugin`) and added to these results afterwards. */
    readonly pluginRun?: RunInfo;
}

/** What `--only drift` measures and saves. */
export interface DriftRunResults extends RunInfo {
    readonly drift: DriftBenchmarkResult;
}

/** What `--only plugin` measures and saves. */
export interface PluginRunResults extends RunInfo {
    readonly plugin: PluginBenchmarkResult;
}
