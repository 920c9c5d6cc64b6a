// Command labcarbon accounts for the energy and carbon of a lab's computing:
// it ingests Slurm accounting logs, matches each job to its hardware and its
// site's grid, computes energy and CO2e, and writes reports.
//
// Exit status, for cron and scripts:
//
//	0  success
//	1  failure: nothing, or not everything, was done (the reason is printed)
//	2  wrong usage: unknown flag, bad argument, invalid configuration
//	3  done, but some input rows were quarantined (see the report's exclusions)
//	130 interrupted
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"labcarbon/config"
	"labcarbon/pipeline"
)

// Exit statuses.
const (
	exitOK          = 0
	exitFailure     = 1
	exitUsage       = 2
	exitPartial     = 3
	exitInterrupted = 130
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// streams are where a command writes: results to out, diagnostics to errOut.
type streams struct {
	out, errOut io.Writer
}

// usageError marks errors that are the caller's to fix (exit status 2).
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	s := streams{out: stdout, errOut: stderr}
	g := &globalOptions{}
	root := newRootCommand(s, g)
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if perr := g.stopProfiles(); err == nil {
		err = perr
	}
	if err == nil {
		return exitOK
	}
	// One line: cron mails it, people read it.
	fmt.Fprintln(stderr, "labcarbon: "+strings.ReplaceAll(err.Error(), "\n", "\n  "))
	var ue usageError
	var ce *config.Error
	switch {
	case errors.Is(err, context.Canceled) || ctx.Err() != nil:
		return exitInterrupted
	case errors.Is(err, pipeline.ErrPartial):
		return exitPartial
	case errors.As(err, &ue), errors.As(err, &ce), errors.Is(err, config.ErrInvalid):
		return exitUsage
	}
	return exitFailure
}

type globalOptions struct {
	logLevel string
	profiles
}

func newRootCommand(s streams, g *globalOptions) *cobra.Command {
	root := &cobra.Command{
		Use:   "labcarbon",
		Short: "Energy and carbon accounting for a lab's computing",
		Long: `labcarbon reads Slurm accounting logs, matches every job to its hardware and
its site's electricity grid, computes energy and CO2e with low–high ranges,
and writes lab-wide PDF and Excel reports, per-researcher statements and
recommendations with the savings they would bring.

Try it on generated data:  labcarbon demo --out demo`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Args: func(c *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageError{fmt.Errorf("unknown command %q (see labcarbon --help)", args[0])}
			}
			return nil
		},
		RunE:              func(c *cobra.Command, _ []string) error { return c.Help() },
		PersistentPreRunE: func(*cobra.Command, []string) error { return g.startProfiles() },
	}
	root.PersistentFlags().StringVar(&g.logLevel, "log-level", "info", "log detail on stderr: debug, info, warn or error")
	g.profiles.flags(root.PersistentFlags())
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageError{fmt.Errorf("%w (see %s --help)", err, c.CommandPath())}
	})
	root.AddCommand(
		newDemoCommand(s, g),
		newRunCommand(s, g),
		newIngestCommand(s, g),
		newReportCommand(s, g),
		newExportCommand(s, g),
		newRestateCommand(s, g),
		newRunsCommand(s, g),
		newScheduleCommand(s, g),
		newFactorsCommand(s, g),
		newEstimateCommand(s),
		newVersionCommand(s),
	)
	return root
}

func (g *globalOptions) logger(s streams) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(g.logLevel)); err != nil {
		return nil, usageError{fmt.Errorf("--log-level %q: want debug, info, warn or error", g.logLevel)}
	}
	return slog.New(slog.NewTextHandler(s.errOut, &slog.HandlerOptions{Level: level})), nil
}

// noArgs rejects positional arguments as a usage error.
func noArgs(c *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usageError{fmt.Errorf("%s takes no arguments, got %q (see %s --help)", c.CommandPath(), args[0], c.CommandPath())}
	}
	return nil
}

// loadConfig reads the config a command was given.
func loadConfig(path string) (*config.Config, error) {
	if path == "" {
		return nil, usageError{errors.New("--config is required")}
	}
	return config.Load(path)
}

// openPipeline loads the config and opens the pipeline on it.
func openPipeline(ctx context.Context, s streams, g *globalOptions, configPath string, readOnly bool) (*pipeline.Pipeline, *config.Config, error) {
	cfg, err := loadConfig(configPath)
	if err != nil {
		return nil, nil, err
	}
	log, err := g.logger(s)
	if err != nil {
		return nil, nil, err
	}
	p, err := pipeline.Open(ctx, cfg, pipeline.Options{ReadOnly: readOnly, Log: log})
	if err != nil {
		return nil, nil, err
	}
	if f, ok := s.errOut.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.Progress = func(name string, size int64) io.Writer { return progressBar(f, name, size) }
	}
	return p, cfg, nil
}

// progressBar shows how far ingest has read an input, for people who run
// labcarbon by hand on a big file; cron and pipes never see it.
func progressBar(w io.Writer, name string, size int64) io.Writer {
	return progressbar.NewOptions64(size,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription(filepath.Base(name)),
		progressbar.OptionShowBytes(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)
}
