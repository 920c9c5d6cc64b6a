// Package compute derives energy, emissions and efficiency from a usage
// record and the factors matched to it. It is pure calculation: no I/O, no
// knowledge of where records come from or where results go.
//
// Operational energy follows Green Algorithms (Lannelongue et al., 2021) as
// GreenAlgorithms4HPC applies it per Slurm job, so that on the same inputs and
// hardware the results agree with that tool:
//
//	E [kWh] = PUE × ( CPU time used [h] × W per core
//	                + elapsed [h] × GPUs × W per GPU × GPU utilisation
//	                + elapsed [h] × requested memory [GB] × W per GB ) / 1000
//
// CPU time used is Slurm's TotalCPU; when Slurm recorded none the job is
// assumed to have kept all its cores busy (elapsed × CPUs). GPU utilisation
// is 1 unless Slurm measured it. Where the cluster's measured energy is
// trusted and the job held its nodes whole, Slurm's ConsumedEnergy × PUE
// replaces the model.
//
// Location-based emissions (Scope 2) are E × grid intensity CI. CI is the
// assignment's annual figure unless Model.Hourly has hours of the job's
// zone and the lab did not fix the site's intensity; then, with the
// energy spread evenly over the run,
//
//	CI = Σ_hours (seconds run in hour × CI_hour) / elapsed [s]
//
// where hours the series lacks count at the annual central figure (for a
// run over new year, the resolver's run-time-weighted mix of the years),
// and the low and high bounds are CI × annual low ÷ annual central and
// CI × annual high ÷ annual central. Result.CIHourlyShare is the run time the series
// covered ÷ elapsed. At most 366 days of a run are looked up; the rest
// counts at the annual figure.
//
// The other figures, all in kgCO2e and bound by bound:
//
//	market-based  = E × market CI / 1000                  (when the site has one)
//	embodied      = kg per node-hour × node share × elapsed [h]
//	  node share  = max(CPUs ÷ node cores, GPUs ÷ node GPUs, requested GB ÷ node GB)
//	                over the terms the node type gives, at most max(nodes, 1);
//	                max(nodes, 1) when it gives none
//	memory waste  = (requested − needed) [GB] × elapsed [h] × W per GB × PUE × CI / 1e6
//	  needed      = min(requested, (⌊peak ÷ g⌋ + 1) × g)   (g: MemGranularityGB; when the peak is known)
//	idle cores    = max(0, elapsed [h] × CPUs − CPU time used [h])   (when TotalCPU was recorded)
//	idle CO2e     = idle core-hours × W per core × PUE × CI / 1e6
//
// Memory waste is Green Algorithms' "C − C_memNeeded"; like idle cores it is
// shown beside the total, not added to it, and it is computed from the
// model even when the job's energy was measured. Every figure carries the
// low and high values the factor ranges allow.
package compute

import (
	"math"

	"labcarbon"
)

// Model holds the lab-wide parameters of the calculation.
type Model struct {
	// PricePerKWh prices energy in the lab's currency; 0 leaves cost at 0.
	PricePerKWh float64
	// MemGranularityGB is the step in which users can request memory
	// (Green Algorithms' granularity_memory_request): the memory a job
	// needed is its peak rounded up to the next step. 0 or less means 1 GB.
	MemGranularityGB float64
	// Hourly holds hourly grid intensity series; nil means annual figures
	// only.
	Hourly HourlySource
}

const joulesPerKWh = 3.6e6

// Job computes the result of one job.
func (m Model) Job(u *labcarbon.Usage, a *labcarbon.Assignment) labcarbon.Result {
	r := labcarbon.Result{
		EnergySource: labcarbon.EnergyModelled,
		PUE:          a.PUE.Central,
		CIgPerKWh:    a.CIgPerKWh.Central,
		CISource:     a.CISource,
	}
	if u.ElapsedSec <= 0 {
		return r // never ran: consumed nothing
	}
	elapsedH := float64(u.ElapsedSec) / 3600
	cpuH := u.CPUTimeSec / 3600
	if cpuH <= 0 {
		cpuH = elapsedH * float64(u.CPUs)
	} else if u.CPUs > 0 {
		r.CPUEfficiency = cpuH / (elapsedH * float64(u.CPUs))
	}
	if u.HasMemPeak && u.MemReqGB > 0 {
		r.MemEfficiency = u.MemPeakGB / u.MemReqGB
	}
	gpuUtil := 1.0
	if u.HasGPUUtil {
		gpuUtil = u.GPUUtil
	}

	// Per-component energy in kWh before PUE, for each bound of the factors.
	cpu := a.CPUWattsPerCore.Scale(cpuH / 1000)
	gpu := a.GPUWatts.Scale(elapsedH * float64(u.GPUs) * gpuUtil / 1000)
	mem := a.MemWattsPerGB.Scale(elapsedH * u.MemReqGB / 1000)
	r.CPUkWh, r.GPUkWh, r.MemkWh = cpu.Central, gpu.Central, mem.Central

	var it labcarbon.Range // IT energy before PUE
	if a.TrustMeasured && u.EnergyJ > 0 && holdsWholeNodes(u, a) {
		r.EnergySource = labcarbon.EnergyMeasured
		it = labcarbon.Point(u.EnergyJ / joulesPerKWh)
	} else {
		it = cpu.Add(gpu).Add(mem)
	}
	r.EnergyKWh = mul(it, a.PUE)

	ci := a.CIgPerKWh
	if m.Hourly != nil && !u.Start.IsZero() && a.Zone != "" && !FixedCI(a) {
		var src string
		ci, r.CIHourlyShare, src = hourlyCI(m.Hourly, a.Zone, u.Start, u.ElapsedSec, a.CIgPerKWh, a.CISource)
		r.CIgPerKWh, r.CISource = ci.Central, src
	}
	r.CO2eKg = mul(r.EnergyKWh, ci).Scale(1.0 / 1000)
	r.Cost = r.EnergyKWh.Central * m.PricePerKWh

	if a.HasMarketCI {
		r.MarketCO2eKg, r.HasMarket = r.EnergyKWh.Scale(a.MarketCIgPerKWh/1000), true
	}

	r.NodeShare = nodeShare(u, a)
	r.EmbodiedCO2eKg = a.EmbodiedKgPerNodeHour.Scale(r.NodeShare * elapsedH)

	// Memory waste, from the model whatever the energy source: measured
	// energy does not split by component.
	if u.HasMemPeak && u.MemReqGB > 0 {
		if waste := u.MemReqGB - m.neededMemGB(u.MemPeakGB, u.MemReqGB); waste > 0 {
			r.MemWasteCO2eKg = mul(mul(a.MemWattsPerGB, a.PUE), ci).Scale(waste * elapsedH / 1e6)
		}
	}

	if u.CPUTimeSec > 0 {
		r.IdleCoreHours = max(0, elapsedH*float64(u.CPUs)-cpuH)
		r.IdleCoreCO2eKg = mul(mul(a.CPUWattsPerCore, a.PUE), ci).Scale(r.IdleCoreHours / 1e6)
	}
	return r
}

// neededMemGB is the memory a job needed by Green Algorithms' rule: its
// peak rounded up to the next multiple of the request granularity (an
// exact multiple still rounds up), never more than it requested.
func (m Model) neededMemGB(peak, req float64) float64 {
	g := m.MemGranularityGB
	if !(g > 0) || math.IsInf(g, 0) {
		g = 1
	}
	if !(peak >= 0) {
		peak = 0 // negative or NaN: no usable peak; the request floor applies
	}
	return min(req, (math.Floor(peak/g)+1)*g)
}

// nodeShare is the node-equivalents a job held: the largest of its shares
// of a node's cores, GPUs and memory, counting only those the node type
// gives and the job has, at most its node count. With none of them it is
// taken to have held its nodes whole.
func nodeShare(u *labcarbon.Usage, a *labcarbon.Assignment) float64 {
	nodes := float64(max(u.NNodes, 1))
	share := 0.0
	if a.NodeCores > 0 && u.CPUs > 0 {
		share = max(share, float64(u.CPUs)/float64(a.NodeCores))
	}
	if a.NodeGPUs > 0 && u.GPUs > 0 {
		share = max(share, float64(u.GPUs)/float64(a.NodeGPUs))
	}
	if a.NodeMemGB > 0 && u.MemReqGB > 0 {
		share = max(share, u.MemReqGB/a.NodeMemGB)
	}
	if !(share > 0) {
		return nodes
	}
	return min(share, nodes)
}

// holdsWholeNodes reports whether the job allocated every core of its
// nodes. Slurm measures energy per node, so on a shared node the reading
// includes other jobs' energy and cannot stand for this one's.
func holdsWholeNodes(u *labcarbon.Usage, a *labcarbon.Assignment) bool {
	if a.NodeCores == 0 {
		return true // the config does not say; trust it as it asks
	}
	return u.CPUs >= a.NodeCores*max(u.NNodes, 1)
}

// mul multiplies two non-negative ranges bound by bound.
func mul(a, b labcarbon.Range) labcarbon.Range {
	return labcarbon.Range{Low: a.Low * b.Low, Central: a.Central * b.Central, High: a.High * b.High}
}
