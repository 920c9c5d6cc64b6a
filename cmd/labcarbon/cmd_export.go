package main

import (
	"bufio"
	"context"
	"errors"

	"github.com/spf13/cobra"

	"labcarbon"
	"labcarbon/report/export"
)

type exportOptions struct {
	config string
	period string
	by     string
	format string
}

func newExportCommand(s streams, g *globalOptions) *cobra.Command {
	o := &exportOptions{}
	c := &cobra.Command{
		Use:   "export --config FILE --period P [--by job|user|group|partition|month|cluster|nodetype|recommendations] [--format csv|json]",
		Short: "Print a period's results on stdout, one row per job or per group",
		Long: `Export prints results for further analysis. With --by job (the default) the CSV
columns start, in this order, with cluster, job_id, user, group, partition,
state, start, end, elapsed_s, cpus, gpus, cpu_time_s, mem_req_gb, mem_peak_gb,
energy_kwh, energy_source, co2e_kg, co2e_kg_low, co2e_kg_high, ci_g_per_kwh,
ci_source, pue; more columns follow, and new ones are only ever appended.
Times are RFC 3339 UTC. market_co2e_kg is empty (null in JSON) for jobs on
sites without a market-based factor. The breakdowns (--by user, group,
partition, month, cluster or nodetype) print one row per key with its
energy, CO2e, wasted, embodied, memory-waste and idle-core figures.
--by recommendations prints one row per recommendation of the period, for the
lab, each group and each researcher, largest saving first: id, scope, for, rule,
title, jobs, saving_co2e_kg (with _low and _high), saving_operational_co2e_kg,
saving_embodied_co2e_kg, saving_kwh, saving_cost, currency, co2e_kg (of the
jobs concerned) and text, as in the workbook's Recommendations sheet.`,
		Args: noArgs,
		RunE: func(c *cobra.Command, _ []string) error { return runExport(c.Context(), s, g, o) },
	}
	c.Flags().StringVar(&o.config, "config", "", "lab configuration file (YAML)")
	c.Flags().StringVar(&o.period, "period", "", "period to export (required)")
	c.Flags().StringVar(&o.by, "by", "job", "one row per job, user, group, partition, month, cluster or nodetype; or recommendations")
	c.Flags().StringVar(&o.format, "format", "csv", "csv or json")
	return c
}

func runExport(ctx context.Context, s streams, g *globalOptions, o *exportOptions) error {
	if o.period == "" {
		return usageError{errors.New("--period is required")}
	}
	period, err := labcarbon.ResolvePeriod(o.period, timeNow())
	if err != nil {
		return usageError{err}
	}
	by, err := export.ParseBy(o.by)
	if err != nil {
		return usageError{err}
	}
	f, err := export.ParseFormat(o.format)
	if err != nil {
		return usageError{err}
	}
	p, _, err := openPipeline(ctx, s, g, o.config, true)
	if err != nil {
		return err
	}
	defer p.Close()
	w := bufio.NewWriter(s.out)
	if err := p.Export(ctx, w, period, by, f); err != nil {
		return err
	}
	return w.Flush()
}
