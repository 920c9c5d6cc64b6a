package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"labcarbon"
	"labcarbon/report"
)

type restateOptions struct {
	config string
	period string
}

func newRestateCommand(s streams, g *globalOptions) *cobra.Command {
	o := &restateOptions{}
	c := &cobra.Command{
		Use:   "restate --config FILE --period P",
		Short: "Compute a period's stored jobs again with today's factors",
		Long: `Restate computes every stored job of a period again from its recorded usage,
with the factors the lab has now: after importing an hourly grid intensity
series (factors import), adding factor overrides or correcting the config,
past periods then show what they would have shown. No input is read again.
The run is recorded with the catalog version it used; it prints the period's
totals before and after.

Periods as for report: 2026Q3, 2026-08, 2026, FROM..TO, previous-quarter, ...`,
		Args: noArgs,
		RunE: func(c *cobra.Command, _ []string) error { return runRestate(c.Context(), s, g, o) },
	}
	c.Flags().StringVar(&o.config, "config", "", "lab configuration file (YAML)")
	c.Flags().StringVar(&o.period, "period", "", "period to restate (required)")
	return c
}

func runRestate(ctx context.Context, s streams, g *globalOptions, o *restateOptions) error {
	if o.period == "" {
		return usageError{errors.New("--period is required")}
	}
	period, err := labcarbon.ResolvePeriod(o.period, timeNow())
	if err != nil {
		return usageError{err}
	}
	p, _, err := openPipeline(ctx, s, g, o.config, false)
	if err != nil {
		return err
	}
	defer p.Close()
	before, err := p.BuildReport(ctx, period, 0)
	if err != nil {
		return err
	}
	sum, err := p.Restate(ctx, period)
	printSummary(s, sum)
	if err != nil {
		return err
	}
	after, err := p.BuildReport(ctx, period, sum.RunID)
	if err != nil {
		return err
	}
	for _, t := range []struct {
		when string
		t    report.Totals
	}{{"before", before.Totals}, {"after", after.Totals}} {
		fmt.Fprintf(s.out, "%s %s: %s CO2e (%s to %s), %s\n", period.Label, t.when,
			report.Mass(t.t.CO2eKg.Central), report.Mass(t.t.CO2eKg.Low), report.Mass(t.t.CO2eKg.High), report.Energy(t.t.EnergyKWh.Central))
	}
	return nil
}
