package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"
)

type ingestOptions struct {
	config       string
	format       string
	live         bool
	since, until string
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

Formats: auto (default, detected from the content), sacct (sacct -p/-P output),
sacct-json (sacct --json, Slurm 21.08 to 24.x), jobcomp (jobcomp/filetxt logs);
any of them may be gzip-compressed.

With --live, labcarbon runs sacct itself (the config's ingest.sacct, default
"sacct" in PATH) for [--since, --until): TZ=UTC, --allusers, --duplicates, -P
and the fields this Slurm has. Without --since it starts a day before the last
successful live ingest (a day before --until the first time), so jobs still
running then are completed; without --until it ends now. Times are RFC 3339 or
YYYY-MM-DD (UTC).`,
		RunE: func(c *cobra.Command, args []string) error { return runIngest(c.Context(), s, g, o, args) },
	}
	c.Flags().StringVar(&o.config, "config", "", "lab configuration file (YAML)")
	c.Flags().StringVar(&o.format, "format", "auto", "input format: auto, sacct, sacct-json or jobcomp")
	c.Flags().BoolVar(&o.live, "live", false, "run sacct for a time window instead of reading files")
	c.Flags().StringVar(&o.since, "since", "", "with --live: start of the window (default: a day before the last live ingest)")
	c.Flags().StringVar(&o.until, "until", "", "with --live: end of the window (default: now)")
	return c
}

func runIngest(ctx context.Context, s streams, g *globalOptions, o *ingestOptions, files []string) error {
	if o.live {
		return runIngestLive(ctx, s, g, o, files)
	}
	if o.since != "" || o.until != "" {
		return usageError{errors.New("--since and --until go with --live")}
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

func runIngestLive(ctx context.Context, s streams, g *globalOptions, o *ingestOptions, files []string) error {
	if len(files) > 0 {
		return usageError{fmt.Errorf("--live reads no files, got %q", files[0])}
	}
	var since, until time.Time
	for _, t := range []struct {
		flag, value string
		to          *time.Time
	}{{"--since", o.since, &since}, {"--until", o.until, &until}} {
		if t.value == "" {
			continue
		}
		v, err := parseWhen(t.value)
		if err != nil {
			return usageError{fmt.Errorf("%s %q: want RFC 3339 or YYYY-MM-DD", t.flag, t.value)}
		}
		*t.to = v
	}
	p, _, err := openPipeline(ctx, s, g, o.config, false)
	if err != nil {
		return err
	}
	defer p.Close()
	sum, err := p.IngestLive(ctx, since, until)
	printSummary(s, sum)
	return err
}

// parseWhen reads a time as the command line takes it: RFC 3339, or a date
// meaning its midnight UTC.
func parseWhen(v string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t.UTC(), nil
	}
	return time.Parse(time.DateOnly, v)
}
