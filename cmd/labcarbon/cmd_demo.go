package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"labcarbon/config"
	"labcarbon/internal/atomicfile"
	"labcarbon/internal/demo"
)

type demoOptions struct {
	jobs    int
	seed    int64
	out     string
	reports string
}

func newDemoCommand(s streams, g *globalOptions) *cobra.Command {
	o := &demoOptions{}
	c := &cobra.Command{
		Use:   "demo [--jobs N] [--seed S] [--out DIR]",
		Short: "Generate a demo lab's quarter of Slurm data and run the whole pipeline on it",
		Long: `Demo generates one quarter (2026Q3) of sacct -P output for a lab of about 40
researchers in 6 groups on one cluster with CPU, GPU (A100) and high-memory
partitions, writes the lab's commented config next to it, and runs the same
pass as 'labcarbon run' on it: DIR/data/sacct-2026Q3.txt, DIR/labcarbon.yaml,
DIR/labcarbon.db and the reports in DIR/reports (or --reports). The data is
the same for the same seed, so running it again changes no total.`,
		Args: noArgs,
		RunE: func(c *cobra.Command, _ []string) error { return runDemo(c.Context(), s, g, o) },
	}
	c.Flags().IntVar(&o.jobs, "jobs", demo.DefaultJobs, "number of jobs to generate")
	c.Flags().Int64Var(&o.seed, "seed", 1, "random seed; the same seed gives the same data")
	c.Flags().StringVar(&o.out, "out", "demo", "directory for the demo's data, config, store and reports")
	c.Flags().StringVar(&o.reports, "reports", "", "write the reports here instead of DIR/reports")
	return c
}

func runDemo(ctx context.Context, s streams, g *globalOptions, o *demoOptions) error {
	if o.jobs < 1 {
		return usageError{fmt.Errorf("--jobs %d: want at least 1", o.jobs)}
	}
	dataDir := filepath.Join(o.out, "data")
	if err := os.MkdirAll(dataDir, 0o755); err != nil {
		return err
	}
	data := filepath.Join(dataDir, "sacct-2026Q3.txt")
	if err := atomicfile.Write(data, func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 1<<20)
		if _, err := demo.Generate(bw, demo.Options{Seed: o.seed, Jobs: o.jobs}); err != nil {
			return err
		}
		return bw.Flush()
	}); err != nil {
		return fmt.Errorf("generate demo data: %w", err)
	}
	cfgPath := filepath.Join(o.out, "labcarbon.yaml")
	if err := atomicfile.Write(cfgPath, func(w io.Writer) error {
		_, err := w.Write(config.Example)
		return err
	}); err != nil {
		return err
	}
	return runRun(ctx, s, g, &runOptions{config: cfgPath, reports: o.reports})
}
