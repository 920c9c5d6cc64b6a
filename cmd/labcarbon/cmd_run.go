package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"labcarbon/pipeline"
	"labcarbon/report"
)

type runOptions struct {
	config  string
	reports string
}

func newRunCommand(s streams, g *globalOptions) *cobra.Command {
	o := &runOptions{}
	c := &cobra.Command{
		Use:   "run --config FILE",
		Short: "One pass: ingest the configured inputs, compute, write the reports due",
		Long: `Run does one pass for cron or a systemd timer: it ingests the inputs the config
lists (idempotently: reading a file again changes no total), matches and computes
every job, records the run, and writes the reports of the configured periods.
With ingest.live in the config it first runs sacct itself, as ingest --live does,
for the window since the last live ingest.

Exit status: 0 success, 1 failure, 2 bad usage or config, 3 done but some rows
were quarantined.`,
		Args: noArgs,
		RunE: func(c *cobra.Command, _ []string) error { return runRun(c.Context(), s, g, o) },
	}
	c.Flags().StringVar(&o.config, "config", "", "lab configuration file (YAML)")
	c.Flags().StringVar(&o.reports, "reports", "", "write reports here instead of the config's reports.out")
	return c
}

func runRun(ctx context.Context, s streams, g *globalOptions, o *runOptions) error {
	p, cfg, err := openPipeline(ctx, s, g, o.config, false)
	if err != nil {
		return err
	}
	defer p.Close()
	if o.reports != "" {
		cfg.Reports.Out = o.reports
	}
	sum, err := p.Run(ctx)
	printSummary(s, sum)
	return err
}

// printSummary tells what a pass did, on stdout: the run, its inputs, the
// headline figures of each period and the files written.
func printSummary(s streams, sum *pipeline.Summary) {
	if sum == nil {
		return
	}
	fmt.Fprintf(s.out, "run %d: %d input(s), %d jobs stored, %d rows quarantined\n", sum.RunID, len(sum.Inputs), sum.Jobs, sum.Quarantined)
	for _, q := range sum.Quarantine {
		field := q.Field
		if field == "" {
			field = "whole row"
		}
		fmt.Fprintf(s.out, "  %d row(s) quarantined (%s), first %s\n", q.Rows, field, q.Example.Error())
	}
	for _, pt := range sum.Periods {
		t := pt.Totals
		fmt.Fprintf(s.out, "%s: %s CO2e (%s to %s), %s, %s jobs\n", pt.Period.Label,
			report.Mass(t.CO2eKg.Central), report.Mass(t.CO2eKg.Low), report.Mass(t.CO2eKg.High),
			report.Energy(t.EnergyKWh.Central), report.Number(float64(t.Jobs), 0))
	}
	for _, f := range sum.Reports {
		fmt.Fprintln(s.out, f)
	}
	if sum.Statements > 0 {
		fmt.Fprintf(s.out, "%d statement files\n", sum.Statements)
	}
}
