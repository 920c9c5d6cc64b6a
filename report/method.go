package report

// The method as every renderer explains it, so that the PDF appendix and
// the workbook's Methodology sheet say the same.

// Formula is the energy and emissions model as computed, as reports print
// it, in lines that line up in a monospaced font.
var Formula = []string{
	"E (kWh)   = PUE × ( CPU time (h) × W per core",
	"                  + elapsed (h) × GPUs × W per GPU × GPU use",
	"                  + elapsed (h) × requested memory (GB) × W per GB ) ÷ 1000",
	"",
	"CO₂e (kg) = E (kWh) × grid intensity (g CO₂e/kWh) ÷ 1000",
	"",
	"Embodied  = kg CO₂e per node-hour × share of a node held × elapsed (h)",
}

// Method explains the terms of the formula and how ranges and waste are
// counted, one paragraph each.
var Method = []string{
	"Energy follows the Green Algorithms model, so results on the same inputs and hardware reproduce GreenAlgorithms4HPC. CPU time is the time the job's processes used the CPUs (Slurm TotalCPU), or elapsed time × allocated cores where Slurm did not record it. GPU use is 1 unless the GPUs' utilisation was measured. Memory is the memory requested, in GB.",
	"Where Slurm measured a job's energy (ConsumedEnergyRaw) and the configuration trusts it, E is the measured energy × PUE and the job counts as measured.",
	"Grid intensity is location-based (GHG Protocol Scope 2). Where an hourly series of the grid zone is loaded, a job's intensity is the series integrated over the hours it ran, each hour weighted by the seconds the job ran in it (its energy taken as spread evenly over its run); hours the series lacks count at the zone's annual average for the year, as do jobs with no series.",
	"Every factor has a low, central and high value. A job's low and high use the low and high factors; totals add the lows and the highs, the widest range the parts allow.",
	"Wasted emissions are the central CO₂e of jobs that started and then failed, timed out, ran out of memory, lost their node or were cancelled.",
	"Memory waste follows Green Algorithms: the memory a job needed is its peak rounded up to the next multiple of the lab's request granularity (an exact multiple still rounds up), never more than it asked for; the CO₂e of the memory requested beyond that is its waste. It is part of the total, since the model charges requested memory; jobs whose peak Slurm did not record count none.",
	"Idle allocated cores are elapsed time × allocated cores − CPU time used. The model charges the CPU time used, as Green Algorithms does, so the idle core-hours' CO₂e, at the per-core power at full load × PUE × the job's intensity, is what the allocation would cost at full load: shown beside the total, never added to it. Jobs whose CPU time Slurm did not record count none.",
}

// EmbodiedMethod explains the embodied (Scope 3) figures; the sources in
// use follow it.
const EmbodiedMethod = "Embodied emissions (Scope 3) follow Cloud Carbon Footprint's method with Teads' server figures: a node's manufacturing emissions (the server, extra sockets, memory beyond the base, one SSD and its GPUs) spread over its lifetime give kg CO₂e per node-hour. A job is charged that × the share of a node it held (the largest of its shares of the node's cores, GPUs and memory, times its node count; a whole node where the node type gives none of them) × its elapsed hours. The low figure takes the low emissions over the longest lifetime, the high the high over the shortest. Embodied CO₂e is reported beside the operational total, and added to it only in the total including embodied."

// MarketMethod explains the market-based Scope 2 figure.
const MarketMethod = "Market-based Scope 2 (GHG Protocol Scope 2 Guidance) counts a job's energy at its site's market-based factor — the supplier's mix or a renewable contract, from the lab's configuration — where the site has one, and at the location-based intensity elsewhere. It is reported beside the location-based figure, not instead of it."
