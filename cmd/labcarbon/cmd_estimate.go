package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"labcarbon"
	"labcarbon/compute"
	"labcarbon/factors"
	"labcarbon/report"
)

type estimateOptions struct {
	cpu      string
	cpuWatts float64
	cores    int
	usage    float64
	gpu      string
	gpuWatts float64
	gpus     int
	gpuUsage float64
	memoryGB float64
	hours    float64
	minutes  float64
	runs     int
	pue      float64
	zone     string
	ci       float64
	year     int
	format   string
}

func newEstimateCommand(s streams) *cobra.Command {
	o := &estimateOptions{}
	c := &cobra.Command{
		Use:   "estimate [--cpu MODEL | --cpu-watts W] --cores N [--gpu MODEL | --gpu-watts W] [--gpus N] --hours H [flags]",
		Short: "Estimate one job's energy and CO2e, with its range, like the Green Algorithms calculator",
		Long: `Estimate computes one job's energy and emissions with the same model and
factors as the pipeline: Green Algorithms' formula, with the catalog's figures
and their low–high ranges. It needs no config and no store.

  E [kWh] = PUE × runs × hours × ( cores × usage × W per core
                                 + GPUs × GPU usage × W per GPU
                                 + memory [GB] × W per GB ) / 1000
  CO2e    = E × grid intensity

Hardware is a catalog model (see labcarbon factors list cpus|gpus; "any" is
Green Algorithms' unknown CPU or GPU) or watts given directly. The grid
intensity is the zone's annual figure for --year, or --ci to fix it; PUE is
the catalog's industry average with its range unless --pue is given. It
prints the energy and CO2e with their ranges, the energy by part, the
factors used with their sources, and a few familiar equivalents.`,
		Example: `  labcarbon estimate --cpu "Xeon E5-2683 v4" --cores 12 --gpu v100 --gpus 1 --memory 64 --hours 12 --zone CA-ON
  labcarbon estimate --cpu "AMD EPYC 7413" --cores 8 --gpu a100 --gpus 1 --memory 64 --hours 10 --zone GB --pue 1.3
  labcarbon estimate --cpu-watts 6.3 --cores 16 --usage 0.75 --hours 4 --memory 32 --pue 1.2 --ci 200 --format json`,
		Args: noArgs,
		RunE: func(c *cobra.Command, _ []string) error { return runEstimate(c, s, o) },
	}
	f := c.Flags()
	f.StringVar(&o.cpu, "cpu", "", `CPU model from the catalog, or "any"`)
	f.Float64Var(&o.cpuWatts, "cpu-watts", 0, "CPU power per core in W, instead of --cpu")
	f.IntVar(&o.cores, "cores", 0, "CPU cores allocated")
	f.Float64Var(&o.usage, "usage", 1, "share of the cores' time the job kept them busy, above 0 up to 1")
	f.StringVar(&o.gpu, "gpu", "", `GPU model from the catalog (a100, h100, ...), or "any"`)
	f.Float64Var(&o.gpuWatts, "gpu-watts", 0, "power per GPU in W, instead of --gpu")
	f.IntVar(&o.gpus, "gpus", 0, "GPUs allocated")
	f.Float64Var(&o.gpuUsage, "gpu-usage", 1, "GPU utilisation, 0 to 1")
	f.Float64Var(&o.memoryGB, "memory", 0, "memory allocated, GB")
	f.Float64Var(&o.hours, "hours", 0, "run time, hours (added to --minutes)")
	f.Float64Var(&o.minutes, "minutes", 0, "run time, minutes (added to --hours)")
	f.IntVar(&o.runs, "runs", 1, "number of identical runs (Green Algorithms' multiplicative factor)")
	f.Float64Var(&o.pue, "pue", 0, "power usage effectiveness of the data centre (default: the catalog's industry average, with its range)")
	f.StringVar(&o.zone, "zone", "WORLD", "grid zone or cloud region (GB, US-CAL-CISO, aws:eu-west-2, ...)")
	f.Float64Var(&o.ci, "ci", 0, "grid intensity in gCO2e/kWh, instead of the zone's annual figure")
	f.IntVar(&o.year, "year", 0, "year whose grid figure applies (default: this year)")
	f.StringVar(&o.format, "format", "text", "text or json")
	return c
}

// estimate is one job's result with what went into it.
type estimate struct {
	opts        *estimateOptions
	year        int
	elapsedSec  int64
	assignment  labcarbon.Assignment
	result      labcarbon.Result
	factors     []usedFactor
	equivalents []equivalentCount
	warnings    []string
}

// usedFactor is a factor an estimate used, as it prints it.
type usedFactor struct {
	Name   string    `json:"name"` // cpu, gpu, memory, pue, grid
	Value  jsonRange `json:"value"`
	Unit   string    `json:"unit"`
	Source string    `json:"source"`
}

// equivalentCount is the estimate's CO2e as a count of a familiar unit.
type equivalentCount struct {
	Key   string  `json:"key"`
	Name  string  `json:"name"`
	Count float64 `json:"count"`
}

type jsonRange struct {
	Low     float64 `json:"low"`
	Central float64 `json:"central"`
	High    float64 `json:"high"`
}

func toJSON(r labcarbon.Range) jsonRange { return jsonRange(r) }

// estimateEquivalents are the equivalents an estimate prints: the ones
// Green Algorithms shows.
var estimateEquivalents = []string{"tree_month", "car_km", "flight_paris_london"}

func runEstimate(c *cobra.Command, s streams, o *estimateOptions) error {
	if o.format != "text" && o.format != "json" {
		return usageError{fmt.Errorf("--format %q: want text or json", o.format)}
	}
	cat, err := factors.Load()
	if err != nil {
		return err
	}
	e, err := newEstimate(cat, o, c.Flags().Changed)
	if err != nil {
		return err
	}
	if o.format == "json" {
		return e.writeJSON(s.out)
	}
	return e.writeText(s.out)
}

// newEstimate checks the options, builds the job's usage and factors from
// the catalog, and computes it with the pipeline's model. changed tells
// which flags were given, since a zero --pue or --ci means "not given".
func newEstimate(cat *factors.Catalog, o *estimateOptions, changed func(flag string) bool) (*estimate, error) {
	bad := func(format string, a ...any) error { return usageError{fmt.Errorf(format, a...)} }
	hasCPU := o.cpu != "" || changed("cpu-watts")
	hasGPU := o.gpu != "" || changed("gpu-watts")
	for _, v := range []float64{o.cpuWatts, o.usage, o.gpuWatts, o.gpuUsage, o.memoryGB, o.hours, o.minutes, o.pue, o.ci} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, bad("%g is not a number estimate can use", v)
		}
	}
	switch {
	case o.cpu != "" && changed("cpu-watts"):
		return nil, bad("give --cpu or --cpu-watts, not both")
	case o.gpu != "" && changed("gpu-watts"):
		return nil, bad("give --gpu or --gpu-watts, not both")
	case changed("cpu-watts") && o.cpuWatts <= 0, changed("gpu-watts") && o.gpuWatts <= 0:
		return nil, bad("--cpu-watts and --gpu-watts must be above 0")
	case o.cores < 0 || o.gpus < 0:
		return nil, bad("--cores and --gpus must not be negative")
	case hasCPU && o.cores == 0:
		return nil, bad("--cpu and --cpu-watts need --cores N")
	case !hasCPU && o.cores > 0:
		return nil, bad(`--cores needs --cpu MODEL or --cpu-watts W (--cpu any for an unknown CPU)`)
	case hasGPU && o.gpus == 0:
		return nil, bad("--gpu and --gpu-watts need --gpus N")
	case !hasGPU && o.gpus > 0:
		return nil, bad(`--gpus needs --gpu MODEL or --gpu-watts W (--gpu any for an unknown GPU)`)
	case !hasCPU && !hasGPU:
		return nil, bad("nothing to estimate: give --cpu MODEL (or --cpu-watts W) with --cores N, or --gpu MODEL (or --gpu-watts W) with --gpus N")
	case !(o.usage > 0 && o.usage <= 1):
		// 0 would read as "CPU time unknown" to the model, which then
		// assumes every core busy: the opposite of what was asked.
		return nil, bad("--usage %g: want a share above 0, up to 1", o.usage)
	case !(o.gpuUsage >= 0 && o.gpuUsage <= 1):
		return nil, bad("--gpu-usage %g: want a share from 0 to 1", o.gpuUsage)
	case o.memoryGB < 0:
		return nil, bad("--memory %g: must not be negative", o.memoryGB)
	case o.hours < 0 || o.minutes < 0:
		return nil, bad("--hours and --minutes must not be negative")
	case o.runs < 1:
		return nil, bad("--runs %d: want at least 1", o.runs)
	case changed("pue") && !(o.pue >= 1):
		return nil, bad("--pue %g: a PUE is at least 1", o.pue)
	case changed("ci") && !(o.ci >= 0):
		return nil, bad("--ci %g: must not be negative", o.ci)
	}
	// The model is linear in time, so N runs of H hours cost what one run
	// of N×H hours does: the runs go into the elapsed time, and the model
	// stays the pipeline's.
	runSec := math.Round((o.hours*60 + o.minutes) * 60)
	if !(runSec >= 1 && runSec <= math.MaxInt32) {
		return nil, bad("--hours %g --minutes %g: want a run time from a second to a few decades", o.hours, o.minutes)
	}
	year, err := yearOrNow(o.year)
	if err != nil {
		return nil, err
	}
	e := &estimate{opts: o, year: year, elapsedSec: int64(o.runs) * int64(runSec)}
	a := &e.assignment
	if hasCPU {
		if err := e.cpuFactor(cat); err != nil {
			return nil, err
		}
	}
	if hasGPU {
		if err := e.gpuFactor(cat); err != nil {
			return nil, err
		}
	}
	mem := cat.MemoryWattsPerGB()
	a.MemWattsPerGB = mem.Range()
	e.use("memory", a.MemWattsPerGB, mem.Unit, cite(mem.Provenance))
	if changed("pue") {
		a.PUE = labcarbon.Point(o.pue)
		e.use("pue", a.PUE, "", "given (--pue)")
	} else {
		d := cat.DefaultPUE()
		a.PUE = d.Range()
		e.use("pue", a.PUE, "", "catalog default: "+cite(d.Provenance))
	}
	z, ok := cat.Zone(o.zone)
	if !ok {
		return nil, bad("--zone %q: %w", o.zone, factors.ErrUnknownZone)
	}
	a.Zone = z.ID
	if changed("ci") {
		a.CIgPerKWh, a.CISource = labcarbon.Point(o.ci), "given (--ci)"
	} else {
		g, warns, err := cat.Grid(z.ID, year)
		if err != nil {
			return nil, err
		}
		a.CIgPerKWh, a.CISource = g.Range(), g.Label()
		e.warnings = append(e.warnings, warns...)
	}
	e.use("grid", a.CIgPerKWh, "gCO2e/kWh", a.CISource)

	u := labcarbon.Usage{
		ElapsedSec: e.elapsedSec,
		CPUs:       o.cores,
		CPUTimeSec: float64(o.cores) * o.usage * float64(e.elapsedSec),
		GPUs:       o.gpus,
		GPUUtil:    o.gpuUsage,
		HasGPUUtil: true,
		MemReqGB:   o.memoryGB,
		Start:      yearStart(year),
	}
	e.result = compute.Model{}.Job(&u, a)

	grams := e.result.CO2eKg.Central * 1000
	for _, key := range estimateEquivalents {
		if q, ok := cat.Equivalent(key); ok {
			e.equivalents = append(e.equivalents, equivalentCount{Key: q.Key, Name: q.Name, Count: q.Count(grams)})
		}
	}
	return e, nil
}

// use records a factor the estimate used.
func (e *estimate) use(name string, r labcarbon.Range, unit, source string) {
	e.factors = append(e.factors, usedFactor{Name: name, Value: toJSON(r), Unit: unit, Source: source})
}

// cite is the short citation of a catalog figure.
func cite(p factors.Provenance) string { return fmt.Sprintf("%s, %s", p.Source, p.Licence) }

func (e *estimate) cpuFactor(cat *factors.Catalog) error {
	o, a := e.opts, &e.assignment
	switch {
	case o.cpu == "":
		a.CPUWattsPerCore = labcarbon.Point(o.cpuWatts)
		e.use("cpu", a.CPUWattsPerCore, "W per core", "given (--cpu-watts)")
	case strings.EqualFold(o.cpu, "any"):
		f := cat.GenericCPUWattsPerCore()
		a.CPUModel, a.CPUWattsPerCore = "any", f.Range()
		e.use("cpu", a.CPUWattsPerCore, "W per core", "unknown CPU: "+cite(f.Provenance))
	default:
		cpu, ok := cat.CPU(o.cpu)
		if !ok {
			return usageError{unknownModel(cat, "CPU", o.cpu, "cpus")}
		}
		a.CPUModel, a.CPUWattsPerCore = cpu.Model, cpu.WattsPerCore()
		e.use("cpu", a.CPUWattsPerCore, "W per core", fmt.Sprintf("%s: TDP %s W ÷ %d cores (%s)",
			cpu.Model, figure(cpu.TDPW), cpu.Cores, cite(cpu.Provenance)))
	}
	return nil
}

func (e *estimate) gpuFactor(cat *factors.Catalog) error {
	o, a := e.opts, &e.assignment
	switch {
	case o.gpu == "":
		a.GPUWatts = labcarbon.Point(o.gpuWatts)
		e.use("gpu", a.GPUWatts, "W per GPU", "given (--gpu-watts)")
	case strings.EqualFold(o.gpu, "any"):
		f := cat.GenericGPUWatts()
		a.GPUModel, a.GPUWatts = "any", f.Range()
		e.use("gpu", a.GPUWatts, "W per GPU", "unknown GPU: "+cite(f.Provenance))
	default:
		gpu, ok := cat.GPU(o.gpu)
		if !ok {
			return usageError{unknownModel(cat, "GPU", o.gpu, "gpus")}
		}
		a.GPUModel, a.GPUWatts = gpu.Model, gpu.Watts()
		e.use("gpu", a.GPUWatts, "W per GPU", fmt.Sprintf("%s: TDP (%s)", gpu.Model, cite(gpu.Provenance)))
		if gpu.AliasNote != "" {
			e.warnings = append(e.warnings, gpu.AliasNote)
		}
	}
	return nil
}

// unknownModel says a model is not in the catalog and suggests some that
// are like it.
func unknownModel(cat *factors.Catalog, what, name, table string) error {
	msg := fmt.Sprintf("%s model %q is not in the factor catalog (see labcarbon factors list %s", what, name, table)
	if like := cat.Search(name, 5); len(like) > 0 {
		msg += "; names containing it: " + strings.Join(like, ", ")
	}
	return errors.New(msg + ")")
}

// split is the central energy by part: the parts before PUE, and what PUE
// adds on top, so that the four add up to the total.
func (e *estimate) split() (cpu, gpu, mem, overhead float64) {
	r := e.result
	return r.CPUkWh, r.GPUkWh, r.MemkWh, r.EnergyKWh.Central - (r.CPUkWh + r.GPUkWh + r.MemkWh)
}

func (e *estimate) writeText(w io.Writer) error {
	o, r := e.opts, e.result
	// Each section is a tabwriter of its own, so that a wide column in one
	// does not widen the others.
	section := func(title string, lines func(tw io.Writer)) error {
		if title != "" {
			fmt.Fprintf(w, "\n%s\n", title)
		}
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		lines(tw)
		return tw.Flush()
	}
	err := section("", func(tw io.Writer) {
		var job []string
		if o.cores > 0 {
			job = append(job, fmt.Sprintf("%s at %s usage", count(o.cores, "CPU core"), report.Percent(o.usage)))
		}
		if o.gpus > 0 {
			job = append(job, fmt.Sprintf("%s at %s usage", count(o.gpus, "GPU"), report.Percent(o.gpuUsage)))
		}
		job = append(job, figure(o.memoryGB)+" GB memory", figure(float64(e.elapsedSec)/float64(o.runs)/3600)+" h")
		if o.runs > 1 {
			job[len(job)-1] += fmt.Sprintf(" × %d runs", o.runs)
		}
		fmt.Fprintf(tw, "Job\t%s\n", strings.Join(job, ", "))
		fmt.Fprintf(tw, "Energy\t%s\t(%s to %s)\n", report.Energy(r.EnergyKWh.Central), report.Energy(r.EnergyKWh.Low), report.Energy(r.EnergyKWh.High))
		fmt.Fprintf(tw, "CO2e\t%s\t(%s to %s)\n", report.Mass(r.CO2eKg.Central), report.Mass(r.CO2eKg.Low), report.Mass(r.CO2eKg.High))
	})
	if err != nil {
		return err
	}
	err = section("Energy by part (central)", func(tw io.Writer) {
		cpu, gpu, mem, overhead := e.split()
		part := func(name string, kwh float64) {
			share := 0.0
			if r.EnergyKWh.Central > 0 {
				share = kwh / r.EnergyKWh.Central
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", name, report.Energy(kwh), report.Percent(share))
		}
		if o.cores > 0 {
			part("CPU", cpu)
		}
		if o.gpus > 0 {
			part("GPU", gpu)
		}
		part("Memory", mem)
		part("PUE overhead", overhead)
	})
	if err != nil {
		return err
	}
	err = section("Factors", func(tw io.Writer) {
		for _, f := range e.factors {
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", factorLabel(f.Name), strings.TrimSpace(spread(labcarbon.Range(f.Value))+" "+f.Unit), f.Source)
		}
	})
	if err != nil {
		return err
	}
	err = section("Equivalents", func(tw io.Writer) {
		for _, q := range e.equivalents {
			n := report.Number(q.Count, report.Decimals(q.Count))
			if q.Count > 0 && q.Count < 0.01 {
				n = "< 0.01"
			}
			fmt.Fprintf(tw, "  %s\t%s\n", n, q.Name)
		}
	})
	if err != nil || len(e.warnings) == 0 {
		return err
	}
	return section("Warnings", func(tw io.Writer) {
		for _, wn := range e.warnings {
			fmt.Fprintf(tw, "  %s\n", wn)
		}
	})
}

// count prints n of a thing, plural when n is not 1.
func count(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return report.Number(float64(n), 0) + " " + thing + "s"
}

func factorLabel(name string) string {
	switch name {
	case "cpu":
		return "CPU"
	case "gpu":
		return "GPU"
	case "pue":
		return "PUE"
	case "memory":
		return "Memory"
	}
	return "Grid"
}

func (e *estimate) writeJSON(w io.Writer) error {
	o, r := e.opts, e.result
	cpu, gpu, mem, overhead := e.split()
	type inputs struct {
		CPUModel   string  `json:"cpu_model,omitempty"`
		Cores      int     `json:"cores"`
		CPUUsage   float64 `json:"cpu_usage"`
		GPUModel   string  `json:"gpu_model,omitempty"`
		GPUs       int     `json:"gpus"`
		GPUUsage   float64 `json:"gpu_usage"`
		MemoryGB   float64 `json:"memory_gb"`
		HoursPer   float64 `json:"hours_per_run"`
		Runs       int     `json:"runs"`
		Zone       string  `json:"zone"`
		Year       int     `json:"year"`
		ElapsedSec int64   `json:"elapsed_s"`
	}
	type split struct {
		CPU         float64 `json:"cpu"`
		GPU         float64 `json:"gpu"`
		Memory      float64 `json:"memory"`
		PUEOverhead float64 `json:"pue_overhead"`
	}
	out := struct {
		Inputs      inputs            `json:"inputs"`
		EnergyKWh   jsonRange         `json:"energy_kwh"`
		CO2eKg      jsonRange         `json:"co2e_kg"`
		SplitKWh    split             `json:"energy_split_kwh"`
		Factors     []usedFactor      `json:"factors"`
		Equivalents []equivalentCount `json:"equivalents"`
		Warnings    []string          `json:"warnings"`
	}{
		Inputs: inputs{
			CPUModel: e.assignment.CPUModel, Cores: o.cores, CPUUsage: o.usage,
			GPUModel: e.assignment.GPUModel, GPUs: o.gpus, GPUUsage: o.gpuUsage,
			MemoryGB: o.memoryGB, HoursPer: float64(e.elapsedSec) / float64(o.runs) / 3600, Runs: o.runs,
			Zone: e.assignment.Zone, Year: e.year, ElapsedSec: e.elapsedSec,
		},
		EnergyKWh:   toJSON(r.EnergyKWh),
		CO2eKg:      toJSON(r.CO2eKg),
		SplitKWh:    split{CPU: cpu, GPU: gpu, Memory: mem, PUEOverhead: overhead},
		Factors:     e.factors,
		Equivalents: e.equivalents,
		Warnings:    append([]string{}, e.warnings...),
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
