// Package config reads the lab configuration: a YAML file describing the
// lab, its clusters, sites, partitions and node hardware, where the inputs
// are and where reports go.
//
// Decoding is strict (an unknown key is an error, so a typo never silently
// drops a setting), every problem found is reported with its line, and paths
// are resolved against the file's own directory so a cron job can run from
// anywhere. Only pipeline and cmd import this package; stages receive plain
// values such as labcarbon.Lab.
package config

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
	"go.yaml.in/yaml/v3"

	"labcarbon"
	"labcarbon/compute/recommend"
	"labcarbon/factors"
	"labcarbon/ingest/slurm"
	"labcarbon/report"
)

// Config is the whole lab configuration.
type Config struct {
	Lab      LabSection      `yaml:"lab"`
	Privacy  PrivacySection  `yaml:"privacy"`
	Store    StoreSection    `yaml:"store"`
	Ingest   IngestSection   `yaml:"ingest"`
	Reports  ReportsSection  `yaml:"reports"`
	Schedule ScheduleSection `yaml:"schedule"`
	Factors  FactorsSection  `yaml:"factors"`
	// Recommendations tunes the rules that suggest reductions; every
	// threshold left out takes common practice (recommend.DefaultThresholds).
	Recommendations RecommendationsSection `yaml:"recommendations"`
	Sites           []Site                 `yaml:"sites"`
	Clusters        []Cluster              `yaml:"clusters"`
	NodeTypes       []NodeType             `yaml:"node_types"`
	// Groups names the lab's research groups, their PIs, and the Slurm
	// accounts counted under each when accounts are not the groups.
	Groups []Group `yaml:"groups"`
	// Users maps a login to the person behind it, and to a group when
	// neither the account nor Groups says it.
	Users map[string]User `yaml:"users"`

	// File is the path the configuration was read from.
	File string `yaml:"-"`
}

// LabSection names the lab and prices its energy.
type LabSection struct {
	Name             string  `yaml:"name"`
	Currency         string  `yaml:"currency"`
	ElectricityPrice float64 `yaml:"electricity_price_per_kwh"`
}

// PrivacySection says what lab-wide reports may show of people and jobs.
type PrivacySection struct {
	// PseudonymiseUsers prints people as stable pseudonyms (user-3f9a1c)
	// in lab-wide reports and exports.
	PseudonymiseUsers bool `yaml:"pseudonymise_users"`
	// PseudonymKeyFile holds the secret the pseudonyms are keyed with, so
	// that they cannot be reversed by hashing a list of logins. It is
	// created (random, mode 0600) when missing; default: the store's path
	// with ".key" added.
	PseudonymKeyFile string `yaml:"pseudonym_key_file"`
	// HideJobNames leaves job names, which are free text typed by users,
	// out of reports and exports.
	HideJobNames bool `yaml:"hide_job_names"`
}

// RecommendationsSection holds the thresholds of the recommendation rules;
// nil fields keep their defaults.
type RecommendationsSection struct {
	MinJobs            *int     `yaml:"min_jobs"`
	MinSavingKgCO2e    *float64 `yaml:"min_saving_kg_co2e"`
	MinSavingKWh       *float64 `yaml:"min_saving_kwh"`
	MinRuntimeMinutes  *float64 `yaml:"min_runtime_minutes"`
	MemEfficiencyBelow *float64 `yaml:"memory_efficiency_below"`
	MemHeadroom        *float64 `yaml:"memory_headroom"`
	CPUEfficiencyBelow *float64 `yaml:"cpu_efficiency_below"`
	CPUHeadroom        *float64 `yaml:"cpu_headroom"`
	GPUUtilBelow       *float64 `yaml:"gpu_utilisation_below"`
	GPUHeadroom        *float64 `yaml:"gpu_headroom"`
	// FailStates are the final states that count as a failed run, such as
	// [FAILED, OUT_OF_MEMORY] for a lab whose interactive sessions end in
	// TIMEOUT by design.
	FailStates  []string `yaml:"fail_states"`
	FailMinRuns *int     `yaml:"fail_min_runs"`
	// FlexibleWaitHours is the queue wait beyond which a job is taken to
	// tolerate running later; ShiftWindowDays the window it may move in
	// (1: its day, 7: its week), in Timezone.
	FlexibleWaitHours *float64 `yaml:"flexible_wait_hours"`
	ShiftWindowDays   *int     `yaml:"shift_window_days"`
	Timezone          string   `yaml:"timezone"`
	// Alternatives maps "cluster/partition" to the partition the lab
	// recommends for the same work ("partition", or "cluster/partition").
	Alternatives map[string]string `yaml:"alternatives"`
}

// FactorsSection adapts the embedded factor catalog to the lab.
type FactorsSection struct {
	// Overrides is a directory of CSV files in the catalog's own schema
	// (cpus.csv, gpus.csv, grid.csv, ...): each row replaces the catalog row
	// with its key or adds one, and must cite its source.
	Overrides string `yaml:"overrides"`
	// MemoryRequestGranularityGB is the smallest step in which users can
	// request memory; the memory-waste figure rounds peaks up to it, as
	// Green Algorithms does. Default 1.
	MemoryRequestGranularityGB float64 `yaml:"memory_request_granularity_gb"`
}

// StoreSection says where results are kept.
type StoreSection struct {
	Path string `yaml:"path"`
}

// IngestSection lists the inputs `labcarbon run` reads.
type IngestSection struct {
	// SacctFiles are file names or glob patterns of saved sacct output.
	SacctFiles []string `yaml:"sacct_files"`
	// Timezone is the zone sacct printed times in when it did not run with
	// TZ=UTC.
	Timezone string `yaml:"timezone"`
	// Sacct is the sacct program `ingest --live` runs (a path, or a name
	// looked up in PATH); SacctArgs go before labcarbon's own arguments,
	// e.g. ["-M", "hydra"].
	Sacct     string   `yaml:"sacct"`
	SacctArgs []string `yaml:"sacct_args"`
	// Live makes `labcarbon run` also run sacct itself, for the window
	// since the last live ingest (as `ingest --live` does), before it reads
	// SacctFiles: one cron line then does everything.
	Live bool `yaml:"live"`
	// SacctColumns names, in order, the columns of files written with
	// `sacct --noheader`; empty means every file starts with sacct's header.
	SacctColumns []string `yaml:"sacct_columns"`
	// SacctDelimiter is the --delimiter those files were written with;
	// empty means "|" (files with a header show theirs).
	SacctDelimiter string `yaml:"sacct_delimiter"`
}

// ReportsSection says where reports go and which ones a run writes.
type ReportsSection struct {
	Out     string   `yaml:"out"`
	Formats []string `yaml:"formats"`
	// Periods a run reports on: a fixed period (2026Q3) or a relative one
	// (current-quarter, previous-quarter, current-month, previous-month,
	// yesterday).
	Periods []string `yaml:"periods"`
	// Templates is a directory of *.tmpl files that replace the built-in
	// report texts of the same name.
	Templates string `yaml:"templates"`
	// Statements makes every run also write a statement per researcher
	// for each period (into out/statements-PERIOD/).
	Statements bool `yaml:"statements"`
	// SCIUnit is the functional unit of the Software Carbon Intensity a
	// disclosure gives: job (the default), successful job, GPU-hour or CPU
	// core-hour.
	SCIUnit string `yaml:"sci_unit"`
}

// ScheduleSection holds the cron specs `labcarbon schedule` runs.
type ScheduleSection struct {
	Run string `yaml:"run"`
}

// Site is a data centre.
type Site struct {
	Name      string  `yaml:"name"`
	Zone      string  `yaml:"zone"`
	PUE       float64 `yaml:"pue"`
	CIgPerKWh float64 `yaml:"ci_g_per_kwh"`
	// MarketCIgPerKWh is the supplier's emission factor for Scope 2
	// market-based reporting; nil when the site has none (0 is a valid
	// factor for a fully renewable contract).
	MarketCIgPerKWh *float64 `yaml:"market_ci_g_per_kwh"`
	// HourlyIntensity names hourly grid intensity files of the site's zone
	// (globs allowed; Electricity Maps exports or timestamp,gco2_per_kwh)
	// that every run imports before it ingests, as factors import does.
	HourlyIntensity []string `yaml:"hourly_intensity"`
}

// Cluster is a Slurm cluster.
type Cluster struct {
	Name                string      `yaml:"name"`
	Site                string      `yaml:"site"`
	DefaultNodeType     string      `yaml:"default_node_type"`
	TrustMeasuredEnergy bool        `yaml:"trust_measured_energy"`
	Partitions          []Partition `yaml:"partitions"`
}

// Partition maps a partition, optionally only some of its nodes, to a node
// type.
type Partition struct {
	Name     string `yaml:"name"`
	Nodes    string `yaml:"nodes"`
	NodeType string `yaml:"node_type"`
}

// NodeType is one kind of node.
type NodeType struct {
	Name            string  `yaml:"name"`
	CPUModel        string  `yaml:"cpu_model"`
	Sockets         int     `yaml:"sockets"`
	CoresPerSocket  int     `yaml:"cores_per_socket"`
	CPUWattsPerCore float64 `yaml:"cpu_watts_per_core"`
	GPUModel        string  `yaml:"gpu_model"`
	GPUs            int     `yaml:"gpus"`
	GPUWatts        float64 `yaml:"gpu_watts"`
	MemoryGB        float64 `yaml:"memory_gb"`
}

// User is a person behind a login.
type User struct {
	Name  string `yaml:"name"`
	Group string `yaml:"group"`
}

// Group is a research group.
type Group struct {
	Name string `yaml:"name"`
	// PI is the group's principal investigator: a login from users, or a
	// name.
	PI string `yaml:"pi"`
	// Accounts are the Slurm accounts whose jobs count under this group;
	// default: the account of the group's own name.
	Accounts []string `yaml:"accounts"`
}

// ErrInvalid marks a configuration that parsed but does not hold together
// with what it refers to: the factor catalog (an unknown CPU model), its
// overrides, a template directory without templates. Like an Error, it is
// the admin's to fix.
var ErrInvalid = errors.New("invalid configuration")

// Catalog returns the factor catalog the lab uses: the embedded one, with
// the rows of factors.overrides laid over it when set.
func (c *Config) Catalog() (*factors.Catalog, error) {
	if c.Factors.Overrides == "" {
		cat, err := factors.Load()
		if err != nil {
			return nil, fmt.Errorf("load factor catalog: %w", err)
		}
		return cat, nil
	}
	if st, err := os.Stat(c.Factors.Overrides); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("config %s: factors.overrides: %s is not a directory: %w", c.File, c.Factors.Overrides, ErrInvalid)
	}
	cat, err := factors.LoadWith(os.DirFS(c.Factors.Overrides))
	if err != nil {
		return nil, fmt.Errorf("config %s: factors.overrides: %w: %w", c.File, ErrInvalid, err)
	}
	return cat, nil
}

// Error lists every problem found in a configuration file.
type Error struct {
	File     string
	Problems []Problem
}

// Problem is one thing wrong in a configuration, at a line.
type Problem struct {
	Line int
	Key  string
	Msg  string
}

func (e *Error) Error() string {
	var b strings.Builder
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteString("\n")
		}
		if p.Key == "" {
			fmt.Fprintf(&b, "%s:%d: %s", e.File, p.Line, p.Msg)
		} else {
			fmt.Fprintf(&b, "%s:%d: %s: %s", e.File, p.Line, p.Key, p.Msg)
		}
	}
	return b.String()
}

// yamlLine matches the "line N: " yaml puts before its messages.
var yamlLine = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

// movedKeys tells, by the decoder's message for a key that is no longer
// where it was, where it went.
var movedKeys = map[string]string{
	"field pseudonymise_users not found in type config.LabSection": "it moved to privacy.pseudonymise_users",
}

// decodeError turns the YAML library's errors (syntax, unknown keys, wrong
// types) into an Error with one problem per line it names.
func decodeError(file string, err error) error {
	var msgs []string
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs = te.Errors
	} else {
		msgs = []string{err.Error()}
	}
	e := &Error{File: file}
	for _, m := range msgs {
		p := Problem{Msg: strings.TrimPrefix(m, "yaml: ")}
		if sub := yamlLine.FindStringSubmatch(m); sub != nil {
			p.Line, _ = strconv.Atoi(sub[1])
			p.Msg = sub[2]
		}
		for old, hint := range movedKeys {
			if strings.Contains(p.Msg, old) {
				p.Msg += ": " + hint
			}
		}
		e.Problems = append(e.Problems, p)
	}
	return e
}

// Load reads, decodes and validates the configuration at path.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	return Parse(data, path)
}

// Parse decodes and validates a configuration; file names it in errors and
// anchors its relative paths.
func Parse(data []byte, file string) (*Config, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, decodeError(file, err)
	}
	if len(root.Content) == 0 {
		return nil, &Error{File: file, Problems: []Problem{{Line: 1, Msg: "the file is empty"}}}
	}
	cfg := Default()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(cfg); err != nil {
		return nil, decodeError(file, err)
	}
	cfg.File = file
	v := validator{cfg: cfg, root: root.Content[0], err: &Error{File: file}}
	v.validate()
	if len(v.err.Problems) > 0 {
		return nil, v.err
	}
	cfg.resolvePaths(filepath.Dir(file))
	return cfg, nil
}

// Default returns the configuration every file starts from.
func Default() *Config {
	return &Config{
		Lab:             LabSection{Currency: "GBP"},
		Store:           StoreSection{Path: "labcarbon.db"},
		Ingest:          IngestSection{Timezone: "UTC"},
		Recommendations: RecommendationsSection{Timezone: "UTC"},
		Reports:         ReportsSection{Out: "reports", Formats: []string{"pdf", "xlsx"}, Periods: []string{"previous-quarter"}},
	}
}

func (c *Config) resolvePaths(dir string) {
	abs := func(p string) string {
		if p == "" || filepath.IsAbs(p) {
			return p
		}
		return filepath.Join(dir, p)
	}
	c.Store.Path = abs(c.Store.Path)
	c.Reports.Out = abs(c.Reports.Out)
	c.Reports.Templates = abs(c.Reports.Templates)
	c.Factors.Overrides = abs(c.Factors.Overrides)
	c.Privacy.PseudonymKeyFile = abs(c.Privacy.PseudonymKeyFile)
	if c.Privacy.PseudonymKeyFile == "" {
		c.Privacy.PseudonymKeyFile = c.Store.Path + ".key"
	}
	for i, f := range c.Ingest.SacctFiles {
		c.Ingest.SacctFiles[i] = abs(f)
	}
	for i := range c.Sites {
		for j, f := range c.Sites[i].HourlyIntensity {
			c.Sites[i].HourlyIntensity[j] = abs(f)
		}
	}
}

// Location returns the time zone sacct times are in.
func (c *Config) Location() (*time.Location, error) {
	return time.LoadLocation(c.Ingest.Timezone)
}

// SacctOptions returns how saved sacct text is to be read: its time zone
// and, for --noheader files, its columns and delimiter.
func (c *Config) SacctOptions() (slurm.SacctOptions, error) {
	loc, err := c.Location()
	if err != nil {
		return slurm.SacctOptions{}, fmt.Errorf("config %s: ingest.timezone: %w", c.File, err)
	}
	return slurm.SacctOptions{Location: loc, Columns: c.Ingest.SacctColumns, Delimiter: c.Ingest.SacctDelimiter}, nil
}

// LabValues returns the lab as the stages see it.
func (c *Config) LabValues() labcarbon.Lab {
	lab := labcarbon.Lab{Name: c.Lab.Name, Currency: c.Lab.Currency, PricePerKWh: c.Lab.ElectricityPrice}
	for _, s := range c.Sites {
		site := labcarbon.Site{Name: s.Name, Zone: s.Zone, PUE: s.PUE, CIgPerKWh: s.CIgPerKWh}
		if s.MarketCIgPerKWh != nil {
			site.MarketCIgPerKWh, site.HasMarketCI = *s.MarketCIgPerKWh, true
		}
		lab.Sites = append(lab.Sites, site)
	}
	for _, cl := range c.Clusters {
		out := labcarbon.Cluster{Name: cl.Name, Site: cl.Site, DefaultNodeType: cl.DefaultNodeType, TrustMeasuredEnergy: cl.TrustMeasuredEnergy}
		for _, p := range cl.Partitions {
			out.Partitions = append(out.Partitions, labcarbon.PartitionRule{Partition: p.Name, Nodes: p.Nodes, NodeType: p.NodeType})
		}
		lab.Clusters = append(lab.Clusters, out)
	}
	for _, n := range c.NodeTypes {
		lab.NodeTypes = append(lab.NodeTypes, labcarbon.NodeType{
			Name: n.Name, CPUModel: n.CPUModel, Sockets: n.Sockets, CoresPerSocket: n.CoresPerSocket,
			CPUWattsPerCore: n.CPUWattsPerCore, GPUModel: n.GPUModel, GPUs: n.GPUs, GPUWatts: n.GPUWatts, MemGB: n.MemoryGB,
		})
	}
	return lab
}

// validator collects every problem instead of stopping at the first, so an
// admin fixes a file in one pass.
type validator struct {
	cfg  *Config
	root *yaml.Node
	err  *Error
}

func (v *validator) add(path []any, msg string, args ...any) {
	v.err.Problems = append(v.err.Problems, Problem{Line: lineOf(v.root, path), Key: keyString(path), Msg: fmt.Sprintf(msg, args...)})
}

func (v *validator) validate() {
	c := v.cfg
	if strings.TrimSpace(c.Lab.Name) == "" {
		v.add([]any{"lab", "name"}, "the lab needs a name (it heads every report)")
	}
	if c.Lab.ElectricityPrice < 0 {
		v.add([]any{"lab", "electricity_price_per_kwh"}, "must not be negative")
	}
	if _, err := time.LoadLocation(c.Ingest.Timezone); err != nil {
		v.add([]any{"ingest", "timezone"}, "unknown time zone %q", c.Ingest.Timezone)
	}
	if len(c.Ingest.SacctColumns) > 0 {
		if err := slurm.CheckColumns(c.Ingest.SacctColumns); err != nil {
			v.add([]any{"ingest", "sacct_columns"}, "%v", err)
		}
	}
	if strings.ContainsAny(c.Ingest.SacctDelimiter, "\r\n") {
		v.add([]any{"ingest", "sacct_delimiter"}, "must not contain a line break")
	}
	for i, f := range c.Reports.Formats {
		if err := CheckReportFormat(f); err != nil {
			v.add([]any{"reports", "formats", i}, "%v", err)
		}
	}
	for i, p := range c.Reports.Periods {
		if _, err := labcarbon.ResolvePeriod(p, time.Now()); err != nil {
			v.add([]any{"reports", "periods", i}, "%v", err)
		}
	}
	if c.Reports.SCIUnit == "" {
		c.Reports.SCIUnit = "job"
	}
	if units := report.SCIUnits(); !slices.Contains(units, c.Reports.SCIUnit) {
		v.add([]any{"reports", "sci_unit"}, "unknown unit %q (want one of %s)", c.Reports.SCIUnit, strings.Join(units, ", "))
	}
	if c.Schedule.Run != "" {
		if _, err := cron.ParseStandard(c.Schedule.Run); err != nil {
			v.add([]any{"schedule", "run"}, "not a cron spec: %v", err)
		}
	}
	sites := map[string]bool{}
	for i, s := range c.Sites {
		if s.Name == "" {
			v.add([]any{"sites", i}, "a site needs a name")
		}
		if sites[s.Name] {
			v.add([]any{"sites", i, "name"}, "site %q is defined twice", s.Name)
		}
		sites[s.Name] = true
		if s.Zone == "" && s.CIgPerKWh == 0 {
			v.add([]any{"sites", i}, "site %q needs a grid zone (zone: GB) or a fixed intensity (ci_g_per_kwh)", s.Name)
		}
		if s.PUE != 0 && s.PUE < 1 {
			v.add([]any{"sites", i, "pue"}, "PUE %g is below 1, which is impossible", s.PUE)
		}
		if s.CIgPerKWh < 0 {
			v.add([]any{"sites", i, "ci_g_per_kwh"}, "must not be negative")
		}
		if s.MarketCIgPerKWh != nil && *s.MarketCIgPerKWh < 0 {
			v.add([]any{"sites", i, "market_ci_g_per_kwh"}, "must not be negative")
		}
		if len(s.HourlyIntensity) > 0 && (s.Zone == "" || s.CIgPerKWh > 0) {
			v.add([]any{"sites", i, "hourly_intensity"}, "needs the site's zone, and no fixed ci_g_per_kwh")
		}
		for j, f := range s.HourlyIntensity {
			if _, err := filepath.Match(f, ""); err != nil {
				v.add([]any{"sites", i, "hourly_intensity", j}, "bad pattern %q: %v", f, err)
			}
		}
	}
	nodeTypes := map[string]bool{}
	for i, n := range c.NodeTypes {
		if n.Name == "" {
			v.add([]any{"node_types", i}, "a node type needs a name")
		}
		if nodeTypes[n.Name] {
			v.add([]any{"node_types", i, "name"}, "node type %q is defined twice", n.Name)
		}
		nodeTypes[n.Name] = true
		if n.CPUModel == "" && n.CPUWattsPerCore == 0 {
			v.add([]any{"node_types", i}, "node type %q needs cpu_model or cpu_watts_per_core", n.Name)
		}
		if n.CPUWattsPerCore < 0 || n.GPUWatts < 0 || n.MemoryGB < 0 || n.GPUs < 0 || n.Sockets < 0 || n.CoresPerSocket < 0 {
			v.add([]any{"node_types", i}, "node type %q has a negative number", n.Name)
		}
		if n.GPUs > 0 && n.GPUModel == "" && n.GPUWatts == 0 {
			v.add([]any{"node_types", i}, "node type %q has GPUs but neither gpu_model nor gpu_watts", n.Name)
		}
	}
	v.validateRecommendations()
	if c.Factors.MemoryRequestGranularityGB < 0 {
		v.add([]any{"factors", "memory_request_granularity_gb"}, "must not be negative")
	}
	groups, accounts := map[string]bool{}, map[string]string{}
	for i, g := range c.Groups {
		if g.Name == "" {
			v.add([]any{"groups", i}, "a group needs a name")
		}
		if groups[g.Name] {
			v.add([]any{"groups", i, "name"}, "group %q is defined twice", g.Name)
		}
		groups[g.Name] = true
		for j, a := range g.Accounts {
			if other, ok := accounts[a]; ok && other != g.Name {
				v.add([]any{"groups", i, "accounts", j}, "account %q is already counted under group %q", a, other)
			}
			accounts[a] = g.Name
		}
	}
	if len(c.Clusters) == 0 {
		v.add([]any{"clusters"}, "at least one cluster is needed")
	}
	for i, cl := range c.Clusters {
		if cl.Name == "" {
			v.add([]any{"clusters", i}, "a cluster needs a name (as sacct prints it in Cluster)")
		}
		if !sites[cl.Site] {
			v.add([]any{"clusters", i, "site"}, "unknown site %q", cl.Site)
		}
		if cl.DefaultNodeType != "" && !nodeTypes[cl.DefaultNodeType] {
			v.add([]any{"clusters", i, "default_node_type"}, "unknown node type %q", cl.DefaultNodeType)
		}
		for j, p := range cl.Partitions {
			if p.Name == "" {
				v.add([]any{"clusters", i, "partitions", j}, "a partition rule needs a name")
			}
			if !nodeTypes[p.NodeType] {
				v.add([]any{"clusters", i, "partitions", j, "node_type"}, "unknown node type %q", p.NodeType)
			}
		}
	}
}

// lineOf finds the line of the node at path (map keys and sequence indexes),
// falling back to the deepest node that exists.
func lineOf(n *yaml.Node, path []any) int {
	line := n.Line
	for _, p := range path {
		var next *yaml.Node
		switch k := p.(type) {
		case string:
			if n.Kind == yaml.MappingNode {
				for i := 0; i+1 < len(n.Content); i += 2 {
					if n.Content[i].Value == k {
						line = n.Content[i].Line
						next = n.Content[i+1]
						break
					}
				}
			}
		case int:
			if n.Kind == yaml.SequenceNode && k < len(n.Content) {
				next = n.Content[k]
				line = next.Line
			}
		}
		if next == nil {
			return line
		}
		n = next
	}
	return line
}

func keyString(path []any) string {
	var b strings.Builder
	for _, p := range path {
		switch k := p.(type) {
		case string:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(k)
		case int:
			fmt.Fprintf(&b, "[%d]", k)
		}
	}
	return b.String()
}

// Example is the commented configuration of the demo lab, which `labcarbon
// demo` writes and the README points to.
//
//go:embed example.yaml
var Example []byte

func (v *validator) validateRecommendations() {
	r := v.cfg.Recommendations
	key := func(k string) []any { return []any{"recommendations", k} }
	if _, err := time.LoadLocation(r.Timezone); err != nil {
		v.add(key("timezone"), "unknown time zone %q", r.Timezone)
	}
	type number struct {
		key string
		f   *float64
	}
	for _, n := range []number{{"memory_efficiency_below", r.MemEfficiencyBelow}, {"cpu_efficiency_below", r.CPUEfficiencyBelow},
		{"gpu_utilisation_below", r.GPUUtilBelow}} {
		if n.f != nil && (*n.f < 0 || *n.f > 1) {
			v.add(key(n.key), "%g is not a fraction between 0 and 1 (0 turns the rule off)", *n.f)
		}
	}
	for _, n := range []number{{"min_saving_kg_co2e", r.MinSavingKgCO2e}, {"min_saving_kwh", r.MinSavingKWh},
		{"min_runtime_minutes", r.MinRuntimeMinutes}, {"memory_headroom", r.MemHeadroom}, {"cpu_headroom", r.CPUHeadroom},
		{"gpu_headroom", r.GPUHeadroom}, {"flexible_wait_hours", r.FlexibleWaitHours}} {
		if n.f != nil && *n.f < 0 {
			v.add(key(n.key), "must not be negative")
		}
	}
	for _, n := range []struct {
		key string
		n   *int
	}{{"min_jobs", r.MinJobs}, {"fail_min_runs", r.FailMinRuns}, {"shift_window_days", r.ShiftWindowDays}} {
		if n.n != nil && *n.n < 1 {
			v.add(key(n.key), "must be at least 1")
		}
	}
	for i, st := range r.FailStates {
		if s := labcarbon.State(strings.ToUpper(st)); !s.Final() || s == labcarbon.StateCompleted {
			v.add([]any{"recommendations", "fail_states", i}, "%q is not a state a job fails in", st)
		}
	}
	for _, from := range slices.Sorted(maps.Keys(r.Alternatives)) {
		if to := r.Alternatives[from]; strings.Count(from, "/") != 1 || to == "" || strings.Count(to, "/") > 1 {
			v.add([]any{"recommendations", "alternatives", from}, "want cluster/partition: partition (or cluster/partition)")
		}
	}
}

// Thresholds returns the recommendation thresholds: common practice, with
// what the config sets laid over it.
func (c *Config) Thresholds() recommend.Thresholds {
	t := recommend.DefaultThresholds()
	r := c.Recommendations
	set := func(dst *float64, src *float64) {
		if src != nil {
			*dst = *src
		}
	}
	if r.MinJobs != nil {
		t.MinJobs = *r.MinJobs
	}
	set(&t.MinSavingCO2eKg, r.MinSavingKgCO2e)
	set(&t.MinSavingKWh, r.MinSavingKWh)
	if r.MinRuntimeMinutes != nil {
		t.MinRuntimeSec = int64(*r.MinRuntimeMinutes * 60)
	}
	set(&t.MemEfficiencyBelow, r.MemEfficiencyBelow)
	set(&t.MemHeadroom, r.MemHeadroom)
	set(&t.CPUEfficiencyBelow, r.CPUEfficiencyBelow)
	set(&t.CPUHeadroom, r.CPUHeadroom)
	set(&t.GPUUtilBelow, r.GPUUtilBelow)
	set(&t.GPUHeadroom, r.GPUHeadroom)
	if len(r.FailStates) > 0 {
		t.FailStates = nil
		for _, s := range r.FailStates {
			t.FailStates = append(t.FailStates, labcarbon.State(strings.ToUpper(s)))
		}
	}
	if r.FailMinRuns != nil {
		t.FailMinRuns = *r.FailMinRuns
	}
	if r.FlexibleWaitHours != nil {
		t.FlexibleWaitSec = int64(*r.FlexibleWaitHours * 3600)
	}
	if r.ShiftWindowDays != nil {
		t.ShiftWindowDays = *r.ShiftWindowDays
	}
	return t
}

// CheckReportFormat says why f is not a format reports are written in, or
// returns nil.
func CheckReportFormat(f string) error {
	switch f {
	case "pdf", "xlsx", "csv", "json":
		return nil
	}
	return fmt.Errorf("unknown format %q (want pdf, xlsx, csv or json)", f)
}
