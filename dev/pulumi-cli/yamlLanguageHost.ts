/**
 * The Pulumi YAML language host, for projects with `runtime: yaml`.
 *
 * The engine runs such a project with the `pulumi-language-yaml` it finds on PATH, so a caller puts
 * `binDir` there next to the CLI's, e.g. `pulumiEnv({ binDir, extraBinDirs: [yaml.binDir], ... })`
 * (each run then warns "using pulumi-language-yaml from $PATH": it is not the CLI's own folder).
 * The host comes from dev/scripts/setup-pulumi-yaml.sh: a build of github.com/pulumi/pulumi-yaml from the
 * Go module proxy, cached outside the clone (minutes the first time, milliseconds afterwards).
 */
import { runSetupScript } from "./pulumiCli";

export interface YamlLanguageHost {
    /** Directory holding `pulumi-language-yaml`. */
    binDir: string;
}

let pending: Promise<YamlLanguageHost> | undefined;

/** Runs dev/scripts/setup-pulumi-yaml.sh once per process; later calls share the result. */
export function ensureYamlLanguageHost(): Promise<YamlLanguageHost> {
    pending ??= runSetupScript("setup-pulumi-yaml.sh", [], "pulumi-language-yaml").then(
        (binDir) => ({ binDir }),
        (err: unknown) => {
            pending = undefined; // let a later call retry rather than caching the failure
            throw err;
        },
    );
    return pending;
}
