package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"labcarbon"
	"labcarbon/config"
)

type reportOptions struct {
	config     string
	period     string
	formats    string
	out        string
	statements bool
	disclosure bool
	group      string
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
atomically.

With --statements it also writes a statement per researcher. With
--disclosure --group G it writes only G's disclosure for a publication: the
paragraph a paper's appendix needs (jobs, CPU- and GPU-hours, energy and CO2e
with their ranges, embodied, the method, the Software Carbon Intensity per
reports.sci_unit) and the tables of factors with their sources and of the
hardware used.`,
		Args: noArgs,
		RunE: func(c *cobra.Command, _ []string) error { return runReport(c.Context(), s, g, o) },
	}
	c.Flags().StringVar(&o.config, "config", "", "lab configuration file (YAML)")
	c.Flags().StringVar(&o.period, "period", "", "period to report on (required)")
	c.Flags().StringVar(&o.formats, "format", "", "comma-separated formats: pdf, xlsx, csv, json (default: the config's)")
	c.Flags().StringVar(&o.out, "out", "", "output directory (default: the config's reports.out)")
	c.Flags().BoolVar(&o.disclosure, "disclosure", false, "write only the disclosure of --group for a publication (Markdown: the paragraph, the factors and the hardware table)")
	c.Flags().StringVar(&o.group, "group", "", "with --disclosure: the research group")
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
	if o.disclosure != (o.group != "") {
		return usageError{errors.New("--disclosure and --group go together")}
	}
	if o.formats != "" {
		for _, f := range strings.Split(o.formats, ",") {
			if err := config.CheckReportFormat(f); err != nil {
				return usageError{fmt.Errorf("--format: %w", err)}
			}
		}
	}
	p, cfg, err := openPipeline(ctx, s, g, o.config, true)
	if err != nil {
		return err
	}
	defer p.Close()
	if o.disclosure {
		out := cfg.Reports.Out
		if o.out != "" {
			out = o.out
		}
		path, err := p.WriteDisclosure(ctx, period, o.group, out)
		if err != nil {
			return err
		}
		fmt.Fprintln(s.out, path)
		return nil
	}
	formats := cfg.Reports.Formats
	if o.formats != "" {
		formats = strings.Split(o.formats, ",")
	}
	out := cfg.Reports.Out
	if o.out != "" {
		out = o.out
	}
	files, d, err := p.WriteReports(ctx, period, formats, out, 0)
	for _, f := range files {
		fmt.Fprintln(s.out, f)
	}
	if err != nil || !o.statements {
		return err
	}
	files, err = p.WriteStatementsOf(ctx, d, out)
	fmt.Fprintf(s.out, "%d statement files in %s\n", len(files), filepath.Join(out, "statements-"+period.Label))
	return err
}
