package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"labcarbon/ingest/slurm"
)

type ingestOptions struct {
	config       string
	format       string
	live         bool
	since, until string
	columns      []string
	delimiter    string
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
any of them may be gzip-compressed. Files written with sacct --noheader need
their column list: --columns (or ingest.sacct_columns in the config), and
--delimiter if they were not written with "|".

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
	c.Flags().StringSliceVar(&o.columns, "columns", nil, "for sacct --noheader files: their columns in order, comma-separated (overrides ingest.sacct_columns)")
	c.Flags().StringVar(&o.delimiter, "delimiter", "", "for sacct --noheader files: the --delimiter they were written with (default \"|\")")
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
	if len(o.columns) > 0 {
		if err := slurm.CheckColumns(o.columns); err != nil {
			return usageError{fmt.Errorf("--columns: %w", err)}
		}
	}
	if strings.ContainsAny(o.delimiter, "\r\n") {
		return usageError{errors.New("--delimiter must not contain a line break")}
	}
	p, cfg, err := openPipeline(ctx, s, g, o.config, false)
	if err != nil {
		return err
	}
	defer p.Close()
	if len(o.columns) > 0 {
		cfg.Ingest.SacctColumns = o.columns
	}
	if o.delimiter != "" {
		cfg.Ingest.SacctDelimiter = o.delimiter
	}
	sum, err := p.Ingest(ctx, files, o.format)
	printSummary(s, sum)
	return err
}

func runIngestLive(ctx context.Context, s streams, g *globalOptions, o *ingestOptions, files []string) error {
	if len(files) > 0 {
		return usageError{fmt.Errorf("--live reads no files, got %q", files[0])}
	}
	if len(o.columns) > 0 || o.delimiter != "" {
		return usageError{errors.New("--columns and --delimiter are for saved --noheader files, not --live")}
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
