package main

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
)

type runsOptions struct {
	config string
	limit  int
}

func newRunsCommand(s streams, g *globalOptions) *cobra.Command {
	o := &runsOptions{}
	c := &cobra.Command{
		Use:   "runs --config FILE [--limit N]",
		Short: "Show the run history: when, what was read, how it ended",
		Args:  noArgs,
		RunE:  func(c *cobra.Command, _ []string) error { return runRuns(c.Context(), s, g, o) },
	}
	c.Flags().StringVar(&o.config, "config", "", "lab configuration file (YAML)")
	c.Flags().IntVar(&o.limit, "limit", 20, "show at most this many runs, newest first")
	return c
}

func runRuns(ctx context.Context, s streams, g *globalOptions, o *runsOptions) error {
	p, _, err := openPipeline(ctx, s, g, o.config, true)
	if err != nil {
		return err
	}
	defer p.Close()
	runs, err := p.Runs(ctx, o.limit)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(s.out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTARTED (UTC)\tTOOK\tCOMMAND\tSTATUS\tJOBS\tQUARANTINED\tINPUTS\tFACTORS\tMESSAGE")
	for _, r := range runs {
		took := "-"
		if !r.Finished.IsZero() {
			took = r.Finished.Sub(r.Started).Round(time.Millisecond).String()
		}
		factors := r.Factors
		if factors == "" {
			factors = "-"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\t%d\t%d\t%s\t%s\n", r.ID, r.Started.UTC().Format(time.DateTime), took,
			r.Command, r.Status, r.Jobs, r.Quarantined, len(r.Inputs), factors, r.Message)
	}
	return tw.Flush()
}
