package main

import (
	"context"
	"errors"

	"github.com/spf13/cobra"
)

type ingestOptions struct {
	config string
	format string
	live   bool
}

func newIngestCommand(s streams, g *globalOptions) *cobra.Command {
	o := &ingestOptions{}
	c := &cobra.Command{
		Use:   "ingest --config FILE [--format F] FILE...",
		Short: "Read accounting files into the store",
		Long: `Ingest reads accounting files into the store, matching and computing every job.
Each file is one transaction: a file that is not what it claims to be changes
nothing, a bad row is quarantined (file, line, field, reason) and the rest is
read. Ingesting the same file again changes no total.

Formats: auto (default, detected from the content), sacct (sacct -p/-P output,
optionally gzip-compressed).`,
		RunE: func(c *cobra.Command, args []string) error { return runIngest(c.Context(), s, g, o, args) },
	}
	c.Flags().StringVar(&o.config, "config", "", "lab configuration file (YAML)")
	c.Flags().StringVar(&o.format, "format", "auto", "input format: auto or sacct")
	c.Flags().BoolVar(&o.live, "live", false, "run sacct for a time window instead of reading files")
	return c
}

func runIngest(ctx context.Context, s streams, g *globalOptions, o *ingestOptions, files []string) error {
	if o.live {
		return errors.New("--live is not available yet: save sacct -P output to a file and ingest that")
	}
	if len(files) == 0 {
		return usageError{errors.New("ingest needs at least one file (or --live)")}
	}
	p, _, err := openPipeline(ctx, s, g, o.config, false)
	if err != nil {
		return err
	}
	defer p.Close()
	sum, err := p.Ingest(ctx, files, o.format)
	printSummary(s, sum)
	return err
}
