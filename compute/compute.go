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
// Emissions are E × grid intensity. Every figure carries the low and high
// values the factor ranges allow.
package compute

import "labcarbon"

// Model holds the lab-wide parameters of the calculation.
type Model struct {
	// PricePerKWh prices energy in the lab's currency; 0 leaves cost at 0.
	PricePerKWh float64
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
	r.CO2eKg = mul(r.EnergyKWh, a.CIgPerKWh).Scale(1.0 / 1000)
	r.Cost = r.EnergyKWh.Central * m.PricePerKWh
	return r
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
