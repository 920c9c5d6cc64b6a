package main

import (
	"bufio"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"labcarbon"
	"labcarbon/config"
	"labcarbon/internal/atomicfile"
	"labcarbon/internal/demo"
	"labcarbon/report"
)

type demoOptions struct {
	jobs    int
	users   int
	seed    int64
	out     string
	reports string
	period  string
}

func newDemoCommand(s streams, g *globalOptions) *cobra.Command {
	o := &demoOptions{}
	c := &cobra.Command{
		Use:   "demo [--jobs N] [--users N] [--seed S] [--out DIR|FILE]",
		Short: "Generate a demo lab's quarter of Slurm data and run the whole pipeline on it",
		Long: `Demo generates one quarter (2026Q3) of sacct -P output for a lab of about 40
researchers in 6 groups on one cluster with CPU, GPU (A100) and high-memory
partitions, writes the lab's commented config next to it, and runs the same
pass as 'labcarbon run' on it: DIR/data/sacct-2026Q3.txt, DIR/labcarbon.yaml,
DIR/labcarbon.db and the reports in DIR/reports (or --reports). The data is
the same for the same seed, so running it again changes no total.

When --out names a file (FILE.txt, FILE.txt.gz, or an existing file), demo
only writes the generated sacct -P data there, gzip-compressed if the name
ends in .gz, and prints what it wrote; nothing else runs. With --users N of
200 or more the cluster grows the partitions of a large centre, so

  labcarbon demo --jobs 1000000 --users 5000 --out sacct-1m.txt

writes a quarter of a national centre to benchmark ingest and reports on;
--period 2026Q2 writes the quarter before it, for a store with history.`,
		Args: noArgs,
		RunE: func(c *cobra.Command, _ []string) error { return runDemo(c.Context(), s, g, o) },
	}
	c.Flags().IntVar(&o.jobs, "jobs", demo.DefaultJobs, "number of jobs to generate")
	c.Flags().IntVar(&o.users, "users", 0, "number of users (0: the demo lab's 40; 200 or more adds a large centre's partitions)")
	c.Flags().Int64Var(&o.seed, "seed", 1, "random seed; the same seed gives the same data")
	c.Flags().StringVar(&o.out, "out", "demo", "directory for the demo's data, config, store and reports, or a file for the data alone")
	c.Flags().StringVar(&o.reports, "reports", "", "write the reports here instead of DIR/reports")
	c.Flags().StringVar(&o.period, "period", "", "the period the data covers, with --out FILE (default 2026Q3)")
	return c
}

func runDemo(ctx context.Context, s streams, g *globalOptions, o *demoOptions) error {
	if o.jobs < 1 {
		return usageError{fmt.Errorf("--jobs %d: want at least 1", o.jobs)}
	}
	if o.users < 0 {
		return usageError{fmt.Errorf("--users %d: must not be negative", o.users)}
	}
	opts := demo.Options{Seed: o.seed, Jobs: o.jobs, Users: o.users}
	if o.period != "" {
		if !dataOnly(o.out) {
			return usageError{fmt.Errorf("--period: the demo lab's config reports on 2026Q3; give --out a data file to generate another period")}
		}
		p, err := labcarbon.ParsePeriod(o.period)
		if err != nil {
			return usageError{fmt.Errorf("--period: %w", err)}
		}
		opts.From, opts.To = p.From, p.To
	}
	if dataOnly(o.out) {
		if o.reports != "" {
			return usageError{fmt.Errorf("--reports: --out %s names a data file, so no reports are written", o.out)}
		}
		st, err := writeDemoData(o.out, opts)
		if err != nil {
			return err
		}
		fmt.Fprintf(s.out, "%s: %s jobs (%s array tasks, %s with GPUs, %s measured), %s step lines, %s of sacct -P text\n",
			o.out, report.Number(float64(st.Jobs), 0), report.Number(float64(st.ArrayTasks), 0),
			report.Number(float64(st.GPUJobs), 0), report.Number(float64(st.Measured), 0),
			report.Number(float64(st.Steps), 0), byteSize(st.Bytes))
		return nil
	}
	dataDir := filepath.Join(o.out, "data")
	if err := os.MkdirAll(dataDir, 0o755); err != nil {
		return err
	}
	if _, err := writeDemoData(filepath.Join(dataDir, "sacct-2026Q3.txt"), opts); err != nil {
		return err
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

// dataOnly reports whether --out names a file for the generated data
// rather than the demo's directory: by its extension, so that a new file
// can be named, or because it already exists and is not a directory.
func dataOnly(out string) bool {
	if strings.HasSuffix(out, ".txt") || strings.HasSuffix(out, ".txt.gz") {
		return true
	}
	fi, err := os.Stat(out)
	return err == nil && !fi.IsDir()
}

// writeDemoData generates the sacct -P data into path atomically, so that
// an interrupted run leaves no half file that a later ingest would read,
// gzip-compressed when the name ends in .gz.
func writeDemoData(path string, opts demo.Options) (demo.Stats, error) {
	var st demo.Stats
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return st, fmt.Errorf("generate demo data: %w", err)
	}
	err := atomicfile.Write(path, func(w io.Writer) error {
		if !strings.HasSuffix(path, ".gz") {
			bw := bufio.NewWriterSize(w, 1<<20)
			var err error
			if st, err = demo.Generate(bw, opts); err != nil {
				return err
			}
			return bw.Flush()
		}
		// BestSpeed: a million jobs are a gigabyte of text, which the
		// default level takes several times longer to compress for a file
		// only a fifth smaller.
		zw, err := gzip.NewWriterLevel(w, gzip.BestSpeed)
		if err != nil {
			return err
		}
		if st, err = demo.Generate(zw, opts); err != nil {
			return err
		}
		return zw.Close()
	})
	if err != nil {
		return st, fmt.Errorf("generate demo data: %w", err)
	}
	return st, nil
}

// byteSize prints a file size in the units people read sizes in.
func byteSize(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.2f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
