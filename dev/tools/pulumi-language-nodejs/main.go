// Command pulumi-language-nodejs is a deliberately small Node.js language host for the Pulumi
// engine, written for this repository.
//
// Why it exists: the official language host is a separate Go module that the Go module proxy
// does not serve, and this project cannot reach GitHub or get.pulumi.com. The engine itself
// (github.com/pulumi/pulumi/pkg/v3) can be built from the proxy, so scripts/setup-pulumi.sh
// builds the CLI and this host side by side. Everything the program actually does is done by
// the `@pulumi/pulumi/cmd/run` harness that ships with the npm package; this host only starts
// it with the arguments and environment the harness expects.
//
// Scope: enough of the LanguageRuntime protocol for `pulumi preview/up/destroy/refresh`,
// `pulumi about` and the Automation API on projects whose dependencies are already installed
// with npm, and RunPlugin for Node.js policy packs (`pulumi preview --policy-pack <dir>`). Plugin
// discovery is not needed: the only plugin our programs use is the dynamic-provider host
// (pulumi-resource-pulumi-nodejs), which the engine finds next to the `pulumi` binary or on PATH.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	sdk "github.com/pulumi/pulumi/sdk/v3"
	"github.com/pulumi/pulumi/sdk/v3/go/common/apitype"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"
)

// version is stamped by scripts/setup-pulumi.sh (-ldflags -X main.version=...) so that the host
// reports the same version as the CLI it was built for.
var version = "0.0.0-dev"

// The harness exits with this code when it has already printed the error through the engine's
// diagnostics; the engine must then stop without adding its own message (RunResponse.Bail).
const exitCodeErrorAlreadyReported = 32

func main() {
	// The engine launches plugins as `<plugin> [--logtostderr] [-v=N] [--tracing URL] <engine address>`.
	// The logging flags are accepted so that a verbose engine can still launch us, and ignored.
	// A private flag set, because a dependency (glog) registers flags of the same names globally.
	flags := flag.NewFlagSet(os.Args[0], flag.ExitOnError)
	flags.Bool("logtostderr", false, "ignored (engine logging flag)")
	flags.Int("v", 0, "ignored (engine verbosity flag)")
	tracing := flags.String("tracing", "", "tracing endpoint, forwarded to the Node.js harness")
	_ = flags.Parse(os.Args[1:])
	if flags.NArg() < 1 {
		fail(errors.New("missing required engine RPC address argument"))
	}
	engineAddress := flags.Arg(flags.NArg() - 1)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	// Exit (and, through the context, kill a running program) when the engine goes away, so an
	// aborted `pulumi up` never leaves an orphaned host or Node.js process behind.
	if err := rpcutil.Healthcheck(ctx, engineAddress, 5*time.Second, cancel); err != nil {
		fail(fmt.Errorf("could not start health check against the engine: %w", err))
	}

	host := &languageHost{engineAddress: engineAddress, tracing: *tracing, ctx: ctx}
	stop := make(chan bool)
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: stop,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, host)
			return nil
		},
	})
	if err != nil {
		fail(fmt.Errorf("could not start the language host gRPC server: %w", err))
	}
	go func() {
		<-ctx.Done()
		close(stop)
	}()

	// Plugin protocol: the first line on stdout is the port the engine should dial.
	fmt.Println(handle.Port)

	if err := <-handle.Done; err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintf(os.Stderr, "pulumi-language-nodejs: %v\n", err)
	os.Exit(1)
}

type languageHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	ctx     context.Context // cancelled when the engine disappears
	tracing string

	mu            sync.Mutex
	engineAddress string
}

// Handshake only arrives when the engine attaches to an already running host
// (PULUMI_DEBUG_LANGUAGES); a normally launched host gets the address on its command line.
func (h *languageHost) Handshake(
	_ context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.engineAddress = req.GetEngineAddress()
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *languageHost) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version}, nil
}

// Our programs only need the dynamic-provider host, which is bundled with the CLI and never has
// to be installed, so there is nothing for the engine to pre-install.
func (h *languageHost) GetRequiredPlugins(
	context.Context, *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

func (h *languageHost) GetRequiredPackages(
	context.Context, *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

func (h *languageHost) RuntimeOptionsPrompts(
	context.Context, *pulumirpc.RuntimeOptionsRequest,
) (*pulumirpc.RuntimeOptionsResponse, error) {
	return &pulumirpc.RuntimeOptionsResponse{}, nil
}

// Dependencies are installed by `npm ci` at the repository root before anything runs, so
// `pulumi install` has nothing left to do; succeeding keeps that command usable.
func (h *languageHost) InstallDependencies(
	*pulumirpc.InstallDependenciesRequest, grpc.ServerStreamingServer[pulumirpc.InstallDependenciesResponse],
) error {
	return nil
}

// The engine calls About on every update to record runtime metadata in the stack history.
func (h *languageHost) About(context.Context, *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, errors.New("could not find `node` on PATH")
	}
	out, err := exec.Command(node, "--version").Output()
	if err != nil {
		return nil, fmt.Errorf("`node --version` failed: %w", err)
	}
	return &pulumirpc.AboutResponse{
		Executable: node,
		Version:    strings.TrimPrefix(strings.TrimSpace(string(out)), "v"),
	}, nil
}

// Only `pulumi about` asks for this; listing npm packages is not worth the code here.
func (h *languageHost) GetProgramDependencies(
	context.Context, *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	return &pulumirpc.GetProgramDependenciesResponse{}, nil
}

func (h *languageHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	// Older engines only fill the flat fields; newer ones also send ProgramInfo. Prefer the latter.
	programDir, entryPoint := req.GetPwd(), req.GetProgram()
	var options map[string]any
	if info := req.GetInfo(); info != nil {
		programDir, entryPoint = info.GetProgramDirectory(), info.GetEntryPoint()
		options = info.GetOptions().AsMap()
	}
	if entryPoint == "" {
		entryPoint = "." // the harness then picks the entry point from package.json, like `node .`
	}

	node, err := exec.LookPath("node")
	if err != nil {
		return nil, errors.New("could not find `node` on PATH")
	}
	// The harness must come from the program's own @pulumi/pulumi: it has to be the same copy
	// the program imports, or the program would talk to an unconnected SDK instance.
	harness, err := resolveHarness(ctx, node, programDir)
	if err != nil {
		return nil, err
	}

	h.mu.Lock()
	engineAddress := h.engineAddress
	h.mu.Unlock()

	// The harness parses flags with minimist and stops at the first positional argument.
	args := append(nodeArgs(options), harness,
		"--monitor="+req.GetMonitorAddress(),
		"--engine="+engineAddress,
		"--organization="+req.GetOrganization(),
		"--project="+req.GetProject(),
		"--stack="+req.GetStack(),
		"--pwd="+programDir,
		"--parallel="+strconv.Itoa(int(req.GetParallel())),
	)
	if root := req.GetInfo().GetRootDirectory(); root != "" {
		args = append(args, "--root-directory="+root)
	}
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	if h.tracing != "" {
		args = append(args, "--tracing="+h.tracing)
	}
	args = append(args, entryPoint)
	args = append(args, req.GetArgs()...)

	env, err := programEnv(req, options)
	if err != nil {
		return nil, err
	}

	// Either the engine cancelling this call or the engine dying stops the program.
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	stopAfter := context.AfterFunc(h.ctx, cancel)
	defer stopAfter()

	cmd := exec.CommandContext(runCtx, node, args...)
	cmd.Dir = programDir
	cmd.Env = env
	// The engine relays the host's stdout/stderr to the user, so the program's output can
	// simply be inherited.
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr

	err = cmd.Run()
	var exitErr *exec.ExitError
	switch {
	case err == nil:
		return &pulumirpc.RunResponse{}, nil
	case errors.As(err, &exitErr) && exitErr.ExitCode() == exitCodeErrorAlreadyReported:
		return &pulumirpc.RunResponse{Bail: true}, nil
	case errors.As(err, &exitErr) && exitErr.ExitCode() >= 0:
		return &pulumirpc.RunResponse{
			Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exitErr.ExitCode()),
		}, nil
	default: // failed to start, or killed by a signal
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("Running the Node.js program failed: %v", err)}, nil
	}
}

// resolveHarness asks Node itself, so that symlinked or hoisted node_modules resolve exactly as
// they will for the program.
func resolveHarness(ctx context.Context, node, programDir string) (string, error) {
	return resolveModule(ctx, node, programDir, "@pulumi/pulumi/cmd/run")
}

func resolveModule(ctx context.Context, node, programDir, module string) (string, error) {
	const script = `process.stdout.write(require.resolve(process.argv[2], { paths: [process.argv[1]] }))`
	cmd := exec.CommandContext(ctx, node, "-e", script, programDir, module)
	cmd.Dir = programDir
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("could not find @pulumi/pulumi from %s (did you run `npm install`?): %v\n%s",
			programDir, err, stderr.String())
	}
	return filepath.Clean(string(out)), nil
}

// nodeArgs honours the `nodeargs` runtime option of Pulumi.yaml (extra flags for node itself).
func nodeArgs(options map[string]any) []string {
	if s, ok := options["nodeargs"].(string); ok {
		return strings.Fields(s)
	}
	return nil
}

// programEnv passes configuration the way the SDK reads it back (sdk runtime/config.ts):
// a JSON object of all keys, plus a JSON array naming the secret ones.
func programEnv(req *pulumirpc.RunRequest, options map[string]any) ([]string, error) {
	config, err := json.Marshal(orEmpty(req.GetConfig()))
	if err != nil {
		return nil, err
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secrets, err := json.Marshal(secretKeys)
	if err != nil {
		return nil, err
	}

	// TypeScript support (ts-node inside the harness) is on unless Pulumi.yaml says
	// `options: { typescript: false }`, matching the official host.
	typescript := true
	if v, ok := options["typescript"].(bool); ok {
		typescript = v
	}

	env := append(os.Environ(),
		"PULUMI_CONFIG="+string(config),
		"PULUMI_CONFIG_SECRET_KEYS="+string(secrets),
		"PULUMI_NODEJS_TYPESCRIPT="+strconv.FormatBool(typescript),
	)
	// `options: { tsconfig: path }` picks the tsconfig ts-node compiles with, as in the official
	// host; otherwise PULUMI_NODEJS_TSCONFIG_PATH and PULUMI_NODEJS_TRANSPILE_ONLY set by the
	// caller flow through os.Environ() to the harness untouched.
	// The path is relative to the project root, while the harness runs in the program directory.
	if v, ok := options["tsconfig"].(string); ok && v != "" {
		if root := req.GetInfo().GetRootDirectory(); root != "" && !filepath.IsAbs(v) {
			v = filepath.Join(root, v)
		}
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+v)
	}
	return env, nil
}

func orEmpty(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

// RunPlugin starts a Node.js policy pack: when a language host is present the engine does not
// look for `pulumi-analyzer-policy` but asks the host of the pack's runtime to run the pack
// directory (sdk/go/common/resource/plugin/analyzer_plugin.go). Other plugin kinds are not
// needed by this project.
//
// The `@pulumi/pulumi/cmd/run-policy-pack` harness expects `<engine address> <pack directory>`
// and reads the stack's organization/project/stack/config from the environment, which the
// engine only sends later through Analyzer.ConfigureStack. sdk.PolicyProxy (from the Go SDK)
// bridges that: it answers the engine first, collects the configuration, and then forwards
// every call to the harness once it has started with that environment.
func (h *languageHost) RunPlugin(
	req *pulumirpc.RunPluginRequest, server grpc.ServerStreamingServer[pulumirpc.RunPluginResponse],
) error {
	if req.GetKind() != string(apitype.AnalyzerPlugin) {
		return status.Errorf(codes.Unimplemented, "this language host only runs policy packs, not %q plugins", req.GetKind())
	}
	packDir := req.GetInfo().GetProgramDirectory()
	options := req.GetInfo().GetOptions().AsMap()

	// Either the engine cancelling the stream or the engine dying stops the pack.
	ctx, cancel := context.WithCancel(server.Context())
	defer cancel()
	stopAfter := context.AfterFunc(h.ctx, cancel)
	defer stopAfter()

	closer, stdout, stderr, err := rpcutil.MakeRunPluginStreams(server, false)
	if err != nil {
		return err
	}
	defer closer.Close()

	node, err := exec.LookPath("node")
	if err != nil {
		return errors.New("could not find `node` on PATH")
	}
	// From the pack's own node_modules, so that @pulumi/policy and the harness share one SDK.
	harness, err := resolveModule(ctx, node, packDir, "@pulumi/pulumi/cmd/run-policy-pack")
	if err != nil {
		return err
	}

	env := req.GetEnv()
	typescript := true
	if v, ok := options["typescript"].(bool); ok {
		typescript = v
	}
	env = append(env, "PULUMI_NODEJS_TYPESCRIPT="+strconv.FormatBool(typescript))
	if v, ok := options["tsconfig"].(string); ok && v != "" {
		if !filepath.IsAbs(v) {
			v = filepath.Join(packDir, v)
		}
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+v)
	}

	proxy, harnessStdout, err := sdk.NewPolicyProxy(ctx, stdout)
	if err != nil {
		return fmt.Errorf("could not start the policy pack proxy: %w", err)
	}
	config, err := proxy.AwaitConfiguration(ctx)
	if err != nil {
		return fmt.Errorf("could not get the stack configuration for the policy pack: %w", err)
	}
	if config != nil {
		add := func(k, v string) {
			if v != "" {
				env = append(env, k+"="+v)
			}
		}
		add("PULUMI_NODEJS_ORGANIZATION", config.GetOrganization())
		add("PULUMI_NODEJS_PROJECT", config.GetProject())
		add("PULUMI_NODEJS_STACK", config.GetStack())
		add("PULUMI_NODEJS_DRY_RUN", strconv.FormatBool(config.GetDryRun()))
		if c := config.GetConfig(); c != nil {
			configJSON, err := json.Marshal(c)
			if err != nil {
				return fmt.Errorf("could not encode the stack configuration: %w", err)
			}
			add("PULUMI_CONFIG", string(configJSON))
		}
	}

	// The harness takes the engine address first and the pack directory last.
	args := append(nodeArgs(options), harness)
	args = append(args, req.GetArgs()...)
	args = append(args, packDir)
	cmd := exec.CommandContext(ctx, node, args...)
	cmd.Dir = packDir // policy packs always ran in their own directory
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = harnessStdout, stderr
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("could not start the policy pack: %w", err)
	}
	// Attach reads the harness's port, forwards the configuration and returns when it exits.
	if err := proxy.Attach(ctx, cmd); err != nil {
		var exitErr *exec.ExitError
		if errors.As(err, &exitErr) {
			return fmt.Errorf("policy pack exited with non-zero exit code: %d", exitErr.ExitCode())
		}
		return err
	}
	return closer.Close()
}
