// Package recommend turns a period's computed jobs into recommendations:
// who should change what, the jobs and figures that show it, and what the
// change would have saved over the period in kWh, kgCO2e (low–high) and
// money. It is pure calculation on plain values: no I/O, no
// configuration; the lab configuration's thresholds arrive as a
// Thresholds value.
//
// # Savings
//
// A saving is never a rule of thumb. For each job a rule applies to, the
// engine builds the job as the rule would have it run (a smaller memory
// request, fewer cores, another start time, another partition), runs the
// emissions model (compute.Model.Job) on it — with the job's own factors,
// or for a move with the factors resolved afresh for the destination —
// and subtracts the result from the model's result for the job as it
// ran:
//
//	saving = Job(as ran) − Job(as changed)          bound by bound, kWh, kgCO2e, cost
//	kgCO2e = operational (location-based) + embodied
//
// Per job the saving is never below 0 and never above the job's stored
// emissions (Result.CO2eKg + Result.EmbodiedCO2eKg, EnergyKWh, Cost).
// When several rules apply to one job their savings are scaled down
// together, if need be, to the saving of making all their changes at once,
// so no energy is claimed twice and the savings of a period never exceed
// its emissions. A recommendation sums its jobs' savings and says how the
// central one splits between operational and embodied emissions.
//
// The model charges CPU time used, not cores allocated (as Green
// Algorithms does), and GPUs by measured utilisation where Slurm measured
// it. Fewer cores or GPUs therefore save the embodied emissions of the
// node share the job no longer holds, and operational energy only where
// the job's energy was measured on whole nodes (the changed job no longer
// holds them and is modelled). The idle core-hours and what they would
// emit at full load are given beside, as figures.
//
// # Rules
//
// Efficiency rules (memory, CPU, GPU) look at jobs that ran at least
// MinRuntimeSec (default 300 s). Jobs that ended in a FailStates state
// belong to the failing-pipeline rule alone. The defaults and their
// sources are in DefaultThresholds.
//
// memory-request (RuleMemory): peak ÷ request < MemEfficiencyBelow
// (default 0.70). Suggested request
//
//	suggested = min(request, (⌊peak × (1 + MemHeadroom) ÷ g⌋ + 1) × g)     (g: Model.MemGranularityGB)
//
// with MemHeadroom 0.20; the job is changed to MemReqGB = suggested. With
// MemHeadroom 0 the operational saving is Green Algorithms' memory waste,
// Result.MemWasteCO2eKg. Figures: median_mem_efficiency, max_request_gb,
// max_peak_gb, suggested_mem_gb (for the largest peak), requested_gb_hours,
// suggested_gb_hours, headroom.
//
// cpu-cores (RuleCPU): CPU time ÷ (elapsed × cores) < CPUEfficiencyBelow
// (default 0.50), CPU time recorded, at least 2 cores. The job is changed
// to
//
//	cores = max(1, ⌈CPU time ÷ elapsed × (1 + CPUHeadroom)⌉)               (CPUHeadroom 0.20)
//
// when that is fewer. Figures: median_cpu_efficiency, max_cpus,
// suggested_cpus (largest suggested), idle_core_hours, idle_core_co2e_kg
// (Result.IdleCoreCO2eKg), freed_core_hours.
//
// gpu-idle (RuleGPUIdle): GPU utilisation measured and ≤ GPUIdleAtMost
// (default 0). The job is changed to no GPUs. Figures: max_gpus,
// freed_gpu_hours.
//
// gpu-underused (RuleGPUUnderuse): GPU utilisation measured and below
// GPUUtilBelow (default 0.25). The job is changed to
//
//	GPUs = max(1, ⌈GPUs × utilisation × (1 + GPUHeadroom)⌉)                (GPUHeadroom 0.20)
//	utilisation' = GPUs × utilisation ÷ GPUs'                              (the same work)
//
// when that is fewer. Figures: median_gpu_util, max_gpus, suggested_gpus,
// freed_gpu_hours.
//
// failing-pipeline (RuleFailing): a researcher's runs of one job name (or
// of one nameless array) that ended FAILED, OUT_OF_MEMORY or TIMEOUT
// (FailStates), at least FailMinRuns (default 3) of them. A run not made
// runs nothing, so the model gives 0 and the saving is the failed runs'
// whole emissions, except the earliest run's (by submit time), which
// told the researcher it fails:
//
//	saving = Σ failed runs − earliest failed run
//
// The advice follows the states: test on a small case, checkpoint, raise
// the memory or time limit. Figures: runs, failed, out_of_memory,
// timeout, pipelines, wasted_co2e_kg (all failed runs, as Green
// Algorithms counts them); Pipelines lists them.
//
// time-shift (RuleTimeShift): the model has an hourly series for the
// job's zone (and the site's intensity is not fixed), and the job was
// flexible: an array task, or one that waited at least FlexibleWaitSec
// (default 3600 s) in the queue. The job is moved to the whole hour of its
// window — its calendar day (ShiftWindowDays 1, the default) or week (7),
// in Options.Location — at which a run of the same length meets the least
// intensity, and the model integrates the series over the new hours.
// Figures: mean_ci_before, mean_ci_after (gCO2e/kWh, energy-weighted),
// window_days.
//
// partition (RulePartition): Options.Alternatives names, for the job's
// cluster/partition, a partition the lab recommends for the same work.
// The job is moved there (same CPU time, cores, memory, GPUs and
// utilisation), its factors are resolved afresh and the model is re-run.
// Changes lists from → to. Other moves (cloud regions, instance families)
// plug in through the Move interface, each as its own rule, and are
// computed the same way.
//
// # Scopes and ids
//
// Each rule's candidates are kept per researcher and group. A researcher
// gets a recommendation per rule (ScopeUser, only their own jobs); a
// group the sum over its researchers (ScopeGroup, with Contributors); the
// lab the sum over everyone for its LabTop rules with the largest
// savings (ScopeLab). Every recommendation must rest on MinJobs jobs
// (default 5) and save MinSavingCO2eKg (default 1 kg) or MinSavingKWh
// (default 5 kWh). Filter picks one audience's. The ID is a hash of rule,
// scope and subject, the same every period, and Realised compares a
// previous period's with this one's.
package recommend
