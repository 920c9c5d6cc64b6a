package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"labcarbon"
)

type reportOptions struct {
	config     string
	period     string
	formats    string
	out        string
	statements bool
}

func newReportCommand(s streams, g *globalOptions) *cobra.Command {
	o := &reportOptions{}
	c := &cobra.Command{
		Use:   "report --config FILE --period P [--format pdf,xlsx,csv,json] [--out DIR]",
		Short: "Write the reports of a period from the store",
		Long: `Report writes a period's reports from what the store holds, without ingesting.
A period is 2026Q3, 2026-08, 2026-W33 (ISO week), 2026-08-14, 2026, FROM..TO
(dates, UTC, both included), or relative: today, yesterday, current-week,
previous-week, current-month, previous-month, current-quarter,
previous-quarter, current-year, previous-year, month-to-date,
quarter-to-date, year-to-date (to the end of yesterday). Files are written
atomically.`,
		Args: noArgs,
		RunE: func(c *cobra.Command, _ []string) error { return runReport(c.Context(), s, g, o) },
	}
	c.Flags().StringVar(&o.config, "config", "", "lab configuration file (YAML)")
	c.Flags().StringVar(&o.period, "period", "", "period to report on (required)")
	c.Flags().StringVar(&o.formats, "format", "", "comma-separated formats: pdf, xlsx, csv, json (default: the config's)")
	c.Flags().StringVar(&o.out, "out", "", "output directory (default: the config's reports.out)")
	c.Flags().BoolVar(&o.statements, "statements", false, "also write a statement per researcher (PDF and mail text) into OUT/statements-PERIOD/")
	return c
}

func runReport(ctx context.Context, s streams, g *globalOptions, o *reportOptions) error {
	if o.period == "" {
		return usageError{errors.New("--period is required")}
	}
	period, err := labcarbon.ResolvePeriod(o.period, timeNow())
	if err != nil {
		return usageError{err}
	}
	p, cfg, err := openPipeline(ctx, s, g, o.config, true)
	if err != nil {
		return err
	}
	defer p.Close()
	formats := cfg.Reports.Formats
	if o.formats != "" {
		formats = strings.Split(o.formats, ",")
	}
	out := cfg.Reports.Out
	if o.out != "" {
		out = o.out
	}
	files, _, err := p.WriteReports(ctx, period, formats, out, 0)
	for _, f := range files {
		fmt.Fprintln(s.out, f)
	}
	if err != nil || !o.statements {
		return err
	}
	files, err = p.WriteStatements(ctx, period, out, 0)
	fmt.Fprintf(s.out, "%d statement files in %s\n", len(files), filepath.Join(out, "statements-"+period.Label))
	return err
}
