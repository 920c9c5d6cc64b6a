package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"labcarbon"
	"labcarbon/config"
	"labcarbon/factors"
	"labcarbon/ingest/intensity"
	"labcarbon/pipeline"
	"labcarbon/report"
)

func newFactorsCommand(s streams, g *globalOptions) *cobra.Command {
	c := &cobra.Command{
		Use:   "factors",
		Short: "List, look up and check the emission factors; import hourly grid intensity",
		Long: `Factors shows the reference data compiled into labcarbon (CPU and GPU power,
grid carbon intensity by zone and year, PUE, memory power, embodied emissions,
equivalents), each figure with its range, year, source and licence; checks
how a lab config resolves against it; and imports hourly grid intensity into
the store.`,
		Args: func(c *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usageError{fmt.Errorf("unknown command %q for %s (see %s --help)", args[0], c.CommandPath(), c.CommandPath())}
			}
			return nil
		},
		RunE: func(c *cobra.Command, _ []string) error { return c.Help() },
	}
	c.AddCommand(
		newFactorsListCommand(s),
		newFactorsShowCommand(s),
		newFactorsCheckCommand(s),
		newFactorsImportCommand(s, g),
	)
	return c
}

// The catalog tables `factors list` prints.
var listKinds = []string{"cpus", "gpus", "grid", "pue", "memory", "embodied", "equivalents"}

type factorsListOptions struct {
	zone   string
	year   int
	format string
}

func newFactorsListCommand(s streams) *cobra.Command {
	o := &factorsListOptions{}
	c := &cobra.Command{
		Use:   "list cpus|gpus|grid|pue|memory|embodied|equivalents [--zone Z] [--year Y] [--format table|csv]",
		Short: "List a table of the factor catalog",
		Long: `List prints one table of the factor catalog, one row per figure: its value,
the low–high range sources allow, unit, year and source. --format csv adds the
source reference, licence and the reason for each range, for scripts.

--zone (grid only) keeps one zone's rows: an Electricity Maps zone id (GB,
US-CAL-CISO), an ISO3 code, or a cloud region as provider:region. --year keeps
the rows of that year: the data year of a grid intensity, the release year of
a chip, the publication year of a coefficient.`,
		Args: func(c *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError{fmt.Errorf("%s needs one table: %s", c.CommandPath(), strings.Join(listKinds, ", "))}
			}
			return nil
		},
		RunE: func(c *cobra.Command, args []string) error { return runFactorsList(s, o, args[0]) },
	}
	c.Flags().StringVar(&o.zone, "zone", "", "only this grid zone or cloud region (grid only)")
	c.Flags().IntVar(&o.year, "year", 0, "only figures of this year")
	c.Flags().StringVar(&o.format, "format", "table", "table or csv")
	return c
}

// listRow is one figure as list prints it: its cells for the table and for
// CSV, and its year for --year.
type listRow struct {
	year       int
	table, csv []string
}

// listing is one catalog table as list prints it.
type listing struct {
	table, csv []string // headers
	rows       []listRow
}

func runFactorsList(s streams, o *factorsListOptions, kind string) error {
	if o.format != "table" && o.format != "csv" {
		return usageError{fmt.Errorf("--format %q: want table or csv", o.format)}
	}
	cat, err := factors.Load()
	if err != nil {
		return err
	}
	zone := ""
	if o.zone != "" {
		if kind != "grid" {
			return usageError{fmt.Errorf("--zone applies to the grid table only, not %s", kind)}
		}
		z, ok := cat.Zone(o.zone)
		if !ok {
			return usageError{fmt.Errorf("--zone %q: %w", o.zone, factors.ErrUnknownZone)}
		}
		zone = z.ID
	}
	var l listing
	switch kind {
	case "cpus":
		l = listCPUs(cat.CPUs())
	case "gpus":
		l = listGPUs(cat.GPUs())
	case "grid":
		grids := cat.Grids()
		if zone != "" {
			grids = cat.GridYears(zone)
		}
		l = listGrid(grids)
	case "pue":
		l = listFactors(cat.PUEs())
	case "memory":
		l = listFactors(cat.MemoryFactors())
	case "embodied":
		l = listFactors(cat.EmbodiedFactors())
	case "equivalents":
		l = listEquivalents(cat.Equivalents())
	default:
		return usageError{fmt.Errorf("unknown table %q: want one of %s", kind, strings.Join(listKinds, ", "))}
	}
	rows := slices.DeleteFunc(l.rows, func(r listRow) bool { return o.year != 0 && r.year != o.year })
	if len(rows) == 0 {
		fmt.Fprintf(s.errOut, "no %s figures match --zone %q --year %d (labcarbon factors show ZONE tells which year applies)\n", kind, o.zone, o.year)
	}
	if o.format == "csv" {
		w := csv.NewWriter(s.out)
		w.Write(l.csv)
		for _, r := range rows {
			w.Write(r.csv)
		}
		w.Flush()
		return w.Error()
	}
	tw := tabwriter.NewWriter(s.out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(l.table, "\t"))
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(r.table, "\t"))
	}
	return tw.Flush()
}

func listCPUs(cpus []factors.CPU) listing {
	l := listing{
		table: []string{"MODEL", "CORES", "TDP", "LOW–HIGH", "UNIT", "W/CORE", "YEAR", "SOURCE"},
		csv: []string{"model", "vendor", "family", "cores", "threads", "tdp_w", "tdp_low_w", "tdp_high_w",
			"w_per_core", "w_per_core_low", "w_per_core_high", "aliases", "year", "source", "source_ref", "licence", "range_reason"},
	}
	for _, c := range cpus {
		w := c.WattsPerCore()
		l.rows = append(l.rows, listRow{
			year: c.Year,
			table: []string{c.Model, strconv.Itoa(c.Cores), figure(c.TDPW), span(c.TDPLowW, c.TDPHighW), "W",
				figure(w.Central), strconv.Itoa(c.Year), c.Source},
			csv: []string{c.Model, c.Vendor, c.Family, strconv.Itoa(c.Cores), strconv.Itoa(c.Threads),
				csvNum(c.TDPW), csvNum(c.TDPLowW), csvNum(c.TDPHighW), csvNum(w.Central), csvNum(w.Low), csvNum(w.High),
				strings.Join(c.Aliases, "|"), strconv.Itoa(c.Year), c.Source, c.SourceRef, c.Licence, c.RangeReason},
		})
	}
	return l
}

func listGPUs(gpus []factors.GPU) listing {
	l := listing{
		table: []string{"MODEL", "FORM", "TDP", "LOW–HIGH", "UNIT", "YEAR", "SOURCE"},
		csv: []string{"model", "vendor", "family", "architecture", "form_factor", "memory_gb", "tdp_w", "tdp_low_w", "tdp_high_w",
			"idle_w", "max_w", "year", "source", "source_ref", "licence", "range_reason"},
	}
	for _, g := range gpus {
		l.rows = append(l.rows, listRow{
			year:  g.Year,
			table: []string{g.Model, g.FormFactor, figure(g.TDPW), span(g.TDPLowW, g.TDPHighW), "W", strconv.Itoa(g.Year), g.Source},
			csv: []string{g.Model, g.Vendor, g.Family, g.Architecture, g.FormFactor, csvNum(g.MemoryGB),
				csvNum(g.TDPW), csvNum(g.TDPLowW), csvNum(g.TDPHighW), csvNum(g.IdleW), csvNum(g.MaxW),
				strconv.Itoa(g.Year), g.Source, g.SourceRef, g.Licence, g.RangeReason},
		})
	}
	return l
}

func listGrid(grids []factors.Grid) listing {
	l := listing{
		table: []string{"ZONE", "YEAR", "VALUE", "LOW–HIGH", "UNIT", "BASIS", "SOURCE"},
		csv:   []string{"zone", "year", "g_per_kwh", "low", "high", "basis", "source", "source_ref", "licence", "range_reason"},
	}
	for _, g := range grids {
		l.rows = append(l.rows, listRow{
			year:  g.Year,
			table: []string{g.Zone, strconv.Itoa(g.Year), figure(g.GPerKWh), span(g.Low, g.High), "gCO2e/kWh", g.Basis, g.Source},
			csv: []string{g.Zone, strconv.Itoa(g.Year), csvNum(g.GPerKWh), csvNum(g.Low), csvNum(g.High), g.Basis,
				g.Source, g.SourceRef, g.Licence, g.RangeReason},
		})
	}
	return l
}

func listFactors(fs []factors.Factor) listing {
	l := listing{
		table: []string{"KEY", "VALUE", "LOW–HIGH", "UNIT", "YEAR", "SOURCE"},
		csv:   []string{"key", "value", "low", "high", "unit", "year", "source", "source_ref", "licence", "range_reason"},
	}
	for _, f := range fs {
		l.rows = append(l.rows, listRow{
			year:  f.Year,
			table: []string{f.Key, figure(f.Value), span(f.Low, f.High), f.Unit, strconv.Itoa(f.Year), f.Source},
			csv: []string{f.Key, csvNum(f.Value), csvNum(f.Low), csvNum(f.High), f.Unit, strconv.Itoa(f.Year),
				f.Source, f.SourceRef, f.Licence, f.RangeReason},
		})
	}
	return l
}

func listEquivalents(es []factors.Equivalent) listing {
	l := listing{
		table: []string{"KEY", "NAME", "VALUE", "LOW–HIGH", "UNIT", "YEAR", "SOURCE"},
		csv:   []string{"key", "name", "g_co2e", "low", "high", "unit", "year", "source", "source_ref", "licence", "range_reason"},
	}
	for _, e := range es {
		l.rows = append(l.rows, listRow{
			year:  e.Year,
			table: []string{e.Key, e.Name, figure(e.Value), span(e.Low, e.High), e.Unit, strconv.Itoa(e.Year), e.Source},
			csv: []string{e.Key, e.Name, csvNum(e.Value), csvNum(e.Low), csvNum(e.High), e.Unit, strconv.Itoa(e.Year),
				e.Source, e.SourceRef, e.Licence, e.RangeReason},
		})
	}
	return l
}

// figure prints a catalog figure as the table holds it: every decimal it
// has, up to four (a computed W per core has endless ones).
func figure(v float64) string {
	_, frac, _ := strings.Cut(strconv.FormatFloat(v, 'f', -1, 64), ".")
	return report.Number(v, min(len(frac), 4))
}

// span prints a figure's bounds as low–high, or "-" when sources agree.
func span(low, high float64) string {
	if low == high {
		return "-"
	}
	return figure(low) + "–" + figure(high)
}

// spread prints a range as its central figure followed by its bounds when
// they differ from it.
func spread(r labcarbon.Range) string {
	if r.Low == r.High {
		return figure(r.Central)
	}
	return fmt.Sprintf("%s (%s)", figure(r.Central), span(r.Low, r.High))
}

// csvNum prints a number for CSV: exact, without separators.
func csvNum(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

type factorsShowOptions struct {
	year int
}

func newFactorsShowCommand(s streams) *cobra.Command {
	o := &factorsShowOptions{}
	c := &cobra.Command{
		Use:   "show NAME [--year Y]",
		Short: "Show everything the catalog knows about a CPU, GPU, grid zone or cloud region",
		Long: `Show looks NAME up as the pipeline would (case, vendor words, separators and
clock suffixes do not matter; GPU short names such as a100 resolve to a
documented default) and prints every figure the catalog has for it with its
range, provenance and licence, the alias it matched, and for a zone its
intensity by year and which year's figure a job of --year (default: this year)
would get. A name may be several words without quotes.`,
		Args: func(c *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError{fmt.Errorf("%s needs a name: a CPU or GPU model, a grid zone or a cloud region", c.CommandPath())}
			}
			return nil
		},
		RunE: func(c *cobra.Command, args []string) error { return runFactorsShow(s, o, strings.Join(args, " ")) },
	}
	c.Flags().IntVar(&o.year, "year", 0, "year of the jobs whose grid figure to show (default: this year)")
	return c
}

func runFactorsShow(s streams, o *factorsShowOptions, name string) error {
	year, err := yearOrNow(o.year)
	if err != nil {
		return err
	}
	cat, err := factors.Load()
	if err != nil {
		return err
	}
	var shown int
	section := func(print func(w io.Writer)) {
		if shown > 0 {
			fmt.Fprintln(s.out)
		}
		shown++
		print(s.out)
	}
	if cpu, ok := cat.CPU(name); ok {
		section(func(w io.Writer) { showCPU(w, cpu, name) })
	}
	if gpu, ok := cat.GPU(name); ok {
		section(func(w io.Writer) { showGPU(w, cat, gpu, name) })
	}
	if z, ok := cat.Zone(name); ok {
		section(func(w io.Writer) { showZone(w, cat, z, name, year) })
	}
	if shown > 0 {
		return nil
	}
	msg := fmt.Sprintf("no CPU, GPU, grid zone or cloud region in the catalog is called %q", name)
	if like := cat.Search(name, 8); len(like) > 0 {
		msg += "; names containing it: " + strings.Join(like, ", ")
	}
	return errors.New(msg)
}

// aligned returns a tabwriter for one block of show's output; the caller
// flushes it.
func aligned(w io.Writer) *tabwriter.Writer { return tabwriter.NewWriter(w, 0, 4, 2, ' ', 0) }

// field prints one "key  value" line of show; empty values are left out.
func field(w io.Writer, key, value string) {
	if value != "" {
		fmt.Fprintf(w, "%s\t%s\n", key, value)
	}
}

// provenance prints where a figure comes from.
func provenance(w io.Writer, p factors.Provenance) {
	field(w, "source", p.Source)
	field(w, "reference", p.SourceRef)
	field(w, "licence", p.Licence)
}

func showCPU(out io.Writer, c factors.CPU, name string) {
	w := aligned(out)
	defer w.Flush()
	field(w, "CPU", c.Model)
	if m := c.MatchedName(name); m != c.Model {
		field(w, "matched", fmt.Sprintf("alias %q", m))
	}
	field(w, "vendor", c.Vendor)
	field(w, "family", c.Family)
	field(w, "released", strconv.Itoa(c.Year))
	field(w, "cores", fmt.Sprintf("%d per socket, %d threads", c.Cores, c.Threads))
	field(w, "TDP", spread(labcarbon.Range{Low: c.TDPLowW, Central: c.TDPW, High: c.TDPHighW})+" W per socket")
	field(w, "W per core", spread(c.WattsPerCore())+" W (TDP ÷ cores)")
	field(w, "range", c.RangeReason)
	field(w, "aliases", strings.Join(c.Aliases, ", "))
	provenance(w, c.Provenance)
}

func showGPU(out io.Writer, cat *factors.Catalog, g factors.GPU, name string) {
	w := aligned(out)
	defer w.Flush()
	field(w, "GPU", g.Model)
	if a, ok := cat.GPUAlias(name); ok {
		field(w, "matched", fmt.Sprintf("alias %q (%s, %s)", name, a.Source, a.Licence))
	}
	field(w, "assumed", g.AliasNote)
	field(w, "vendor", g.Vendor)
	field(w, "family", g.Family)
	field(w, "architecture", g.Architecture)
	field(w, "form factor", g.FormFactor)
	field(w, "memory", figure(g.MemoryGB)+" GB")
	field(w, "released", strconv.Itoa(g.Year))
	field(w, "TDP", spread(g.Watts())+" W")
	field(w, "range", g.RangeReason)
	if g.MaxW > 0 {
		field(w, "cloud model", fmt.Sprintf("idle %s W, max %s W (Cloud Carbon Footprint)", figure(g.IdleW), figure(g.MaxW)))
	}
	e := cat.EmbodiedGPU(g.Model)
	field(w, "embodied", fmt.Sprintf("%s %s (%s, %s)", spread(e.Range()), e.Unit, e.Source, e.Licence))
	provenance(w, g.Provenance)
}

func showZone(out io.Writer, cat *factors.Catalog, z factors.Zone, name string, year int) {
	w := aligned(out)
	field(w, "zone", z.ID)
	if m := z.MatchedName(name); m != z.ID {
		field(w, "matched", fmt.Sprintf("%q", m))
	}
	field(w, "kind", z.Kind)
	field(w, "name", z.Name)
	if z.ISO3 != "" {
		field(w, "country", fmt.Sprintf("%s (%s)", z.Country, z.ISO3))
	} else {
		field(w, "country", z.Country)
	}
	field(w, "aliases", strings.Join(z.Aliases, ", "))
	if z.Kind == "cloud" {
		if p, ok := cat.PUE(z.ID); ok {
			field(w, "PUE", fmt.Sprintf("%s (%s: %s, %s)", spread(p.Range()), p.Key, p.Source, p.Licence))
		}
	}
	field(w, "zone source", fmt.Sprintf("%s (%s, %s)", z.Source, z.SourceRef, z.Licence))
	years := cat.GridYears(z.ID)
	if len(years) > 0 && years[0].Via != "" {
		field(w, "intensity", fmt.Sprintf("no figures of its own: those of %s, the grid it lies in", years[0].Zone))
	}
	w.Flush()

	fmt.Fprintln(out)
	w = aligned(out)
	fmt.Fprintln(w, "YEAR\tGCO2E/KWH\tLOW–HIGH\tBASIS\tSOURCE\tLICENCE")
	for _, g := range years {
		fmt.Fprintf(w, "%d\t%s\t%s\t%s\t%s\t%s\n", g.Year, figure(g.GPerKWh), span(g.Low, g.High), g.Basis, g.Source, g.Licence)
	}
	w.Flush()

	fmt.Fprintln(out)
	w = aligned(out)
	defer w.Flush()
	key := fmt.Sprintf("jobs in %d", year)
	g, warns, err := cat.Grid(z.ID, year)
	switch {
	case err != nil:
		field(w, key, err.Error())
		return
	case len(warns) > 0:
		field(w, key, fmt.Sprintf("%s gCO2e/kWh: %s", spread(g.Range()), strings.Join(warns, "; ")))
	default:
		field(w, key, fmt.Sprintf("%s gCO2e/kWh, the %d figure", spread(g.Range()), g.Year))
	}
	field(w, "range", g.RangeReason)
}

// yearOrNow returns year, or this year when it is 0, and rejects years no
// catalog figure could be meant for.
func yearOrNow(year int) (int, error) {
	if year == 0 {
		return timeNow().Year(), nil
	}
	if year < 1990 || year > 2100 {
		return 0, usageError{fmt.Errorf("--year %d: want a year between 1990 and 2100", year)}
	}
	return year, nil
}

type factorsCheckOptions struct {
	config string
	year   int
}

func newFactorsCheckCommand(s streams) *cobra.Command {
	o := &factorsCheckOptions{}
	c := &cobra.Command{
		Use:   "check --config FILE [--year Y]",
		Short: "Show how every partition of a config resolves, and whether any falls back",
		Long: `Check resolves the config's partition rules, node types and site zones
against the factor catalog, as the pipeline does for a job of --year (default:
this year), and prints one line per partition rule: node type, CPU model and W
per core, GPU model and W, PUE, zone, and grid intensity with the year of the
figure used. A last line per cluster shows what partitions without a rule get.

Warnings name what falls back (a generic node, the default PUE, an ambiguous
GPU name, a rule an earlier one hides); notes name what the config cannot
change (a grid figure from an earlier year) or does not use.

Exit status: 0 when no partition falls back, 1 when one does (the reason is
the last line on stderr), 2 when the config is invalid.`,
		Args: noArgs,
		RunE: func(c *cobra.Command, _ []string) error { return runFactorsCheck(s, o) },
	}
	c.Flags().StringVar(&o.config, "config", "", "lab configuration file (YAML)")
	c.Flags().IntVar(&o.year, "year", 0, "year of the jobs to resolve (default: this year)")
	return c
}

// otherPartitions stands for the partitions a cluster's rules do not name.
const otherPartitions = "(other partitions)"

// checkLine is one resolved partition rule, or a cluster's other partitions.
type checkLine struct {
	name     string // cluster/partition [nodes]
	a        labcarbon.Assignment
	gridYear string
	warnings []string // what falls back
	counts   bool     // whether warnings fail the check
}

func runFactorsCheck(s streams, o *factorsCheckOptions) error {
	year, err := yearOrNow(o.year)
	if err != nil {
		return err
	}
	cfg, err := loadConfig(o.config)
	if err != nil {
		return err
	}
	cat, err := cfg.Catalog()
	if err != nil {
		return err
	}
	res, err := factors.NewResolver(cat, cfg.LabValues())
	if err != nil {
		return usageError{fmt.Errorf("config %s: %w", cfg.File, err)}
	}
	sites := make(map[string]config.Site, len(cfg.Sites))
	for _, st := range cfg.Sites {
		sites[st.Name] = st
	}
	var lines []checkLine
	var notes []string
	note := func(n string) {
		if !slices.Contains(notes, n) {
			notes = append(notes, n)
		}
	}
	usedTypes, usedSites := map[string]bool{}, map[string]bool{}
	for _, cl := range cfg.Clusters {
		usedSites[cl.Site] = true
		usedTypes[cl.DefaultNodeType] = true
		for i, p := range append(slices.Clone(cl.Partitions), config.Partition{Name: otherPartitions}) {
			u := labcarbon.Usage{Cluster: cl.Name, Partition: p.Name, NodeList: p.Nodes, Start: yearStart(year)}
			l := checkLine{name: cl.Name + "/" + p.Name, a: res.Resolve(&u), counts: p.Name != otherPartitions || len(cl.Partitions) == 0}
			if p.Nodes != "" {
				l.name += " [" + p.Nodes + "]"
			}
			// Grid figures of an earlier year are not the config's to fix:
			// they are notes, told apart by being what the catalog itself
			// says for the zone and year.
			site := sites[cl.Site]
			var gridNotes []string
			if site.CIgPerKWh > 0 {
				l.gridYear = "fixed"
			} else if g, warns, err := cat.Grid(l.a.Zone, year); err == nil {
				l.gridYear, gridNotes = strconv.Itoa(g.Year), warns
			}
			for _, w := range l.a.Warnings {
				if slices.Contains(gridNotes, w) || !l.counts {
					note(w)
				} else {
					l.warnings = append(l.warnings, w)
				}
			}
			if p.Name != otherPartitions {
				usedTypes[p.NodeType] = true
				if l.a.NodeType != p.NodeType {
					l.warnings = append(l.warnings, fmt.Sprintf("rule %d (%s) never applies: an earlier rule gives its jobs node type %s (%s)",
						i+1, p.Name, l.a.NodeType, l.a.Rule))
				}
			}
			lines = append(lines, l)
		}
	}
	for _, nt := range cfg.NodeTypes {
		if !usedTypes[nt.Name] {
			note(fmt.Sprintf("node type %s is not used by any partition rule or cluster default", nt.Name))
		}
	}
	for _, st := range cfg.Sites {
		if !usedSites[st.Name] {
			note(fmt.Sprintf("site %s is not used by any cluster", st.Name))
		}
	}
	// A partition's warning is not repeated as a note because a line that
	// does not count (other partitions) shares it.
	notes = slices.DeleteFunc(notes, func(n string) bool {
		return slices.ContainsFunc(lines, func(l checkLine) bool { return slices.Contains(l.warnings, n) })
	})
	printCheck(s.out, lines, notes)
	return checkResult(lines)
}

// yearStart is the first instant of year, the start a check resolves for.
func yearStart(year int) time.Time { return time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC) }

func printCheck(w io.Writer, lines []checkLine, notes []string) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PARTITION\tNODE TYPE\tCPU\tW/CORE\tGPU\tW/GPU\tPUE\tZONE\tGCO2E/KWH\tYEAR")
	dash := func(s string) string {
		if s == "" {
			return "-"
		}
		return s
	}
	for _, l := range lines {
		gpuW := "-"
		if l.a.GPUModel != "" {
			gpuW = figure(l.a.GPUWatts.Central)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", l.name, l.a.NodeType, dash(l.a.CPUModel),
			figure(l.a.CPUWattsPerCore.Central), dash(l.a.GPUModel), gpuW, figure(l.a.PUE.Central),
			dash(l.a.Zone), figure(l.a.CIgPerKWh.Central), dash(l.gridYear))
	}
	tw.Flush()
	var warned bool
	for _, l := range lines {
		for _, wn := range l.warnings {
			if !warned {
				fmt.Fprintln(w, "\nwarnings:")
				warned = true
			}
			fmt.Fprintf(w, "  %s: %s\n", l.name, wn)
		}
	}
	if len(notes) > 0 {
		fmt.Fprintln(w, "\nnotes:")
		for _, n := range notes {
			fmt.Fprintf(w, "  %s\n", n)
		}
	}
}

// checkResult is nil when no partition falls back, and otherwise one line
// that names those that do, and why when there is one.
func checkResult(lines []checkLine) error {
	var bad []checkLine
	total := 0
	for _, l := range lines {
		if l.counts {
			total++
		}
		if len(l.warnings) > 0 {
			bad = append(bad, l)
		}
	}
	switch len(bad) {
	case 0:
		return nil
	case 1:
		return fmt.Errorf("1 of %d partitions falls back: %s: %s", total, bad[0].name, bad[0].warnings[0])
	}
	names := make([]string, len(bad))
	for i, l := range bad {
		names[i] = l.name
	}
	return fmt.Errorf("%d of %d partitions fall back (see the warnings): %s", len(bad), total, strings.Join(names, ", "))
}

type factorsImportOptions struct {
	config string
	zone   string
	basis  string
}

func newFactorsImportCommand(s streams, g *globalOptions) *cobra.Command {
	o := &factorsImportOptions{}
	c := &cobra.Command{
		Use:   "import --config FILE [--zone Z] [--basis lifecycle|direct] FILE.csv",
		Short: "Import an hourly grid carbon-intensity series into the store",
		Long: `Import reads an hourly carbon-intensity series into the store, in one
transaction: a file that is not such a series changes nothing, a bad row is
skipped, quarantined in the store and listed on stderr (file, line, column,
reason), and importing the same file again changes nothing, since hours are
kept by zone and hour. Jobs ingested afterwards use the hours; restate applies
them to jobs stored before.

Formats, recognised by their header (case and punctuation do not matter):
  Electricity Maps hourly exports, the data-portal spelling (... Zone Id,
    Carbon Intensity gCO₂eq/kWh (direct), Carbon Intensity gCO₂eq/kWh (LCA) ...)
    and the newer one (... Zone id, ... (direct), ... (Life cycle) ...);
  plain: timestamp,gco2_per_kwh, with timestamps in RFC 3339 or
    YYYY-MM-DD HH:MM:SS in UTC, and an optional zone column.
Each timestamp is the beginning of its hour. From Electricity Maps files the
life-cycle column is read, the basis of the catalog's annual figures, unless
--basis direct. The zone is the file's Zone Id column, or --zone for a file
without one; with both, rows of other zones are skipped as bad.

It prints the hours imported (new, changed, unchanged), their time range and
the missing hours inside it. Exit status: 0 success, 1 nothing imported, 2 bad
usage, 3 imported but some rows were bad.`,
		Args: func(c *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usageError{fmt.Errorf("%s needs one CSV file, got %d arguments", c.CommandPath(), len(args))}
			}
			return nil
		},
		RunE: func(c *cobra.Command, args []string) error { return runFactorsImport(c.Context(), s, g, o, args[0]) },
	}
	c.Flags().StringVar(&o.config, "config", "", "lab configuration file (YAML); names the store")
	c.Flags().StringVar(&o.zone, "zone", "", "grid zone of the series (for files without a zone column)")
	c.Flags().StringVar(&o.basis, "basis", string(intensity.Lifecycle), "column of an Electricity Maps file: lifecycle or direct")
	return c
}

// maxBadShown is how many bad rows import lists on stderr; the count covers
// the rest.
const maxBadShown = 20

// maxGapsShown is how many gaps import lists per zone.
const maxGapsShown = 10

func runFactorsImport(ctx context.Context, s streams, g *globalOptions, o *factorsImportOptions, path string) error {
	basis, err := intensity.ParseBasis(o.basis)
	if err != nil {
		return usageError{fmt.Errorf("--basis: %w", err)}
	}
	// The zone is checked before the store is opened, so that a wrong one
	// leaves no trace.
	if o.zone != "" {
		cfg, err := loadConfig(o.config)
		if err != nil {
			return err
		}
		cat, err := cfg.Catalog()
		if err != nil {
			return err
		}
		if _, ok := cat.Zone(o.zone); !ok {
			return usageError{fmt.Errorf("--zone: zone %q is not in the factor catalog", o.zone)}
		}
	}
	p, _, err := openPipeline(ctx, s, g, o.config, false)
	if err != nil {
		return err
	}
	defer p.Close()
	imp, err := p.ImportIntensity(ctx, path, intensity.Options{Basis: basis, Zone: o.zone})
	if errors.Is(err, pipeline.ErrNoZone) {
		return usageError{fmt.Errorf("%w: give --zone", err)}
	}
	if imp == nil {
		return err
	}
	for _, b := range imp.Bad {
		fmt.Fprintf(s.errOut, "bad row %s\n", &b)
	}
	if imp.BadRows > len(imp.Bad) {
		fmt.Fprintf(s.errOut, "... and %d more bad rows (all in the store's quarantine)\n", imp.BadRows-len(imp.Bad))
	}
	if err != nil && !errors.Is(err, pipeline.ErrPartial) {
		return err
	}
	r, ch := imp.Series, imp.Changes
	hours := ch.Added + ch.Changed + ch.Unchanged
	fmt.Fprintf(s.out, "%s: %s\n", path, describeSeries(r))
	fmt.Fprintf(s.out, "run %d: %s stored (%s new, %s changed, %s unchanged), %s\n", imp.Summary.RunID, count(hours, "hour"),
		report.Number(float64(ch.Added), 0), report.Number(float64(ch.Changed), 0),
		report.Number(float64(ch.Unchanged), 0), count(imp.BadRows, "bad row"))
	for _, c := range r.Coverage() {
		printCoverage(s.out, c, imp.Estimated[c.Zone])
	}
	if ch.Added+ch.Changed > 0 {
		fmt.Fprintln(s.out, "jobs ingested from now on use these hours; `labcarbon restate --period P` applies them to jobs stored before")
	}
	return err
}

func describeSeries(r *intensity.Reader) string {
	if r.Format() == intensity.FormatElectricityMaps {
		return fmt.Sprintf("Electricity Maps hourly export, %s column %q", r.Basis().Label(), r.Column())
	}
	return fmt.Sprintf("plain hourly series, column %q", r.Column())
}

// printCoverage prints a zone's imported span and its gaps.
func printCoverage(w io.Writer, c intensity.Coverage, estimated int) {
	const layout = "2006-01-02 15:04"
	fmt.Fprintf(w, "%s: %s from %s to %s UTC (hour beginnings)", c.Zone, count(c.Hours, "hour"),
		c.First.Format(layout), c.Last.Format(layout))
	if estimated > 0 {
		fmt.Fprintf(w, ", %s estimated by the source", report.Number(float64(estimated), 0))
	}
	if len(c.Gaps) == 0 {
		fmt.Fprintln(w, ", no gaps")
		return
	}
	fmt.Fprintf(w, ", %s in %s:\n", count(c.Missing(), "missing hour"), count(len(c.Gaps), "gap"))
	for i, g := range c.Gaps {
		if i == maxGapsShown {
			fmt.Fprintf(w, "  ... and %d more gaps\n", len(c.Gaps)-i)
			break
		}
		fmt.Fprintf(w, "  %s (%d h)\n", g.From.Format(layout), g.Hours)
	}
}
