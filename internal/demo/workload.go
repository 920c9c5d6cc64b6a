package demo

// partKind is the kind of hardware a workload needs; the generator maps it
// to one of the cluster's partitions of that kind.
type partKind int

const (
	kindCPU partKind = iota
	kindGPU
	kindHighmem
)

// kindOf classifies a partition by its hardware.
func kindOf(p Partition) partKind {
	switch {
	case p.GPUs > 0:
		return kindGPU
	case p.MemGB >= 2048:
		return kindHighmem
	default:
		return kindCPU
	}
}

// jobShape is how a job's work is spread over its steps, which decides the
// step lines sacct prints.
type jobShape int

const (
	// shapeBatch: the batch script does the work itself (threads, R,
	// Python); steps .batch and .extern.
	shapeBatch jobShape = iota
	// shapeMPI: one srun step runs the parallel program over the whole
	// allocation; the batch script only waits.
	shapeMPI
	// shapePipeline: several srun steps one after another.
	shapePipeline
	// shapeInteractive: srun --pty or salloc, no batch step.
	shapeInteractive
)

// workload is a kind of job a research group runs: its names, size, run
// time and how well it can use what it asks for.
type workload struct {
	names   []string // job names, one picked per submission
	exes    []string // what the srun steps run, in pipeline order
	project string   // folder under the user's projects, for WorkDir
	kind    partKind
	shape   jobShape
	cpus    [2]int     // CPUs, per GPU for GPU work; range, picked log-uniformly
	nodes   [2]int     // whole nodes for MPI work
	gpus    [2]int     // GPUs per job
	memCPU  float64    // GB the job needs per CPU
	memGB   [2]float64 // GB the job needs in total, for highmem work
	hours   float64    // median run time
	sigma   float64    // spread of the log run time
	array   float64    // probability that a submission is an array (of 4 to 60 tasks)
	eff     float64    // the CPU efficiency the work allows at best
	gpuUtil float64    // the GPU utilisation the work allows at best
	// exclusive is the probability of holding whole nodes, which is what
	// gives GPU jobs a measured energy.
	exclusive float64
	weight    float64 // relative frequency within the group
}

// interactive is the shell session every group opens now and then.
var interactive = workload{
	names: []string{"bash"}, exes: []string{"bash"}, project: "scratchpad",
	kind: kindCPU, shape: shapeInteractive, cpus: [2]int{1, 8}, memCPU: 2,
	hours: 1.5, sigma: 0.9, eff: 0.08, weight: 0.6,
}

// disciplines lists the workloads of the six demo groups, in the order of
// groups.
var disciplines = [][]workload{
	{ // genomics
		{names: []string{"align_reads", "bwa_mem", "star_align"}, exes: []string{"bwa"}, project: "rnaseq-2026",
			kind: kindCPU, shape: shapeBatch, cpus: [2]int{8, 32}, memCPU: 2, hours: 1.5, sigma: 0.8,
			array: 0.04, eff: 0.9, weight: 4},
		{names: []string{"variant_call", "gatk_haplotype"}, exes: []string{"gatk", "bcftools", "tabix"}, project: "wgs-cohort",
			kind: kindCPU, shape: shapePipeline, cpus: [2]int{4, 16}, memCPU: 6, hours: 5, sigma: 0.7,
			array: 0.02, eff: 0.55, weight: 2},
		{names: []string{"genome_assembly", "hifiasm_asm", "spades_asm"}, exes: []string{"hifiasm"}, project: "assembly",
			kind: kindHighmem, shape: shapeBatch, cpus: [2]int{28, 56}, memGB: [2]float64{300, 2600}, hours: 30, sigma: 0.6,
			eff: 0.7, weight: 0.5},
		{names: []string{"fastqc", "multiqc", "trim_galore"}, exes: []string{"fastqc"}, project: "rnaseq-2026",
			kind: kindCPU, shape: shapeBatch, cpus: [2]int{1, 4}, memCPU: 2, hours: 0.3, sigma: 0.6,
			array: 0.05, eff: 0.8, weight: 3},
		{names: []string{"análisis_Jiří", "deseq2 analysis", "R_analýza"}, exes: []string{"Rscript"}, project: "análisis",
			kind: kindCPU, shape: shapeBatch, cpus: [2]int{1, 8}, memCPU: 4, hours: 1, sigma: 0.8,
			eff: 0.6, weight: 0.8},
		interactive,
	},
	{ // neuroimaging
		{names: []string{"fmriprep", "fmriprep_sub"}, exes: []string{"fmriprep"}, project: "ukb-fmri",
			kind: kindCPU, shape: shapeBatch, cpus: [2]int{8, 16}, memCPU: 4, hours: 6, sigma: 0.5,
			array: 0.05, eff: 0.6, weight: 4},
		{names: []string{"recon_all", "freesurfer_recon"}, exes: []string{"recon-all"}, project: "freesurfer",
			kind: kindCPU, shape: shapeBatch, cpus: [2]int{1, 4}, memCPU: 6, hours: 9, sigma: 0.4,
			array: 0.04, eff: 0.85, weight: 2},
		{names: []string{"mriqc", "qsiprep"}, exes: []string{"mriqc"}, project: "ukb-fmri",
			kind: kindCPU, shape: shapeBatch, cpus: [2]int{4, 8}, memCPU: 4, hours: 1.5, sigma: 0.5,
			array: 0.02, eff: 0.7, weight: 1.5},
		{names: []string{"nnunet_train", "dl_segmentation"}, exes: []string{"python"}, project: "lesion-seg",
			kind: kindGPU, shape: shapeBatch, cpus: [2]int{8, 12}, gpus: [2]int{1, 2}, memCPU: 8, hours: 12, sigma: 0.7,
			eff: 0.4, gpuUtil: 0.9, exclusive: 0.1, weight: 1.5},
		{names: []string{"connectome_stats", "Übersicht_gruppe"}, exes: []string{"python"}, project: "connectome",
			kind: kindCPU, shape: shapeBatch, cpus: [2]int{1, 4}, memCPU: 4, hours: 0.5, sigma: 0.7,
			eff: 0.7, weight: 0.6},
		interactive,
	},
	{ // climate
		{names: []string{"wrf_run", "wrf_d03"}, exes: []string{"wrf.exe"}, project: "wrf-alps",
			kind: kindCPU, shape: shapeMPI, nodes: [2]int{2, 8}, memCPU: 1.5, hours: 18, sigma: 0.6,
			eff: 0.92, weight: 1.5},
		{names: []string{"cesm_case", "e3sm_run"}, exes: []string{"cesm.exe"}, project: "cesm-ssp245",
			kind: kindCPU, shape: shapeMPI, nodes: [2]int{4, 8}, memCPU: 1.5, hours: 40, sigma: 0.5,
			eff: 0.9, weight: 0.5},
		{names: []string{"regrid_cdo", "cdo_remap", "ncks_extract"}, exes: []string{"cdo"}, project: "cmip6",
			kind: kindCPU, shape: shapeBatch, cpus: [2]int{1, 8}, memCPU: 4, hours: 0.4, sigma: 0.8,
			array: 0.03, eff: 0.5, weight: 3},
		{names: []string{"era5_postproc", "xarray_clim"}, exes: []string{"python", "ncks"}, project: "era5",
			kind: kindHighmem, shape: shapePipeline, cpus: [2]int{16, 56}, memGB: [2]float64{400, 1500}, hours: 4, sigma: 0.6,
			eff: 0.4, weight: 1},
		{names: []string{"ens_member", "wrf_ens"}, exes: []string{"wrf.exe"}, project: "wrf-ens",
			kind: kindCPU, shape: shapeMPI, nodes: [2]int{1, 2}, memCPU: 1.5, hours: 10, sigma: 0.4,
			array: 0.04, eff: 0.9, weight: 0.8},
		interactive,
	},
	{ // structbio
		{names: []string{"relion_refine", "relion_class3d"}, exes: []string{"relion_refine_mpi"}, project: "cryoem-ribosome",
			kind: kindGPU, shape: shapeMPI, cpus: [2]int{6, 12}, gpus: [2]int{2, 4}, memCPU: 8, hours: 14, sigma: 0.6,
			eff: 0.7, gpuUtil: 0.8, exclusive: 0.3, weight: 2},
		{names: []string{"alphafold_predict", "colabfold_batch"}, exes: []string{"jackhmmer", "python"}, project: "af2-screen",
			kind: kindGPU, shape: shapePipeline, cpus: [2]int{8, 16}, gpus: [2]int{1, 1}, memCPU: 6, hours: 3, sigma: 0.6,
			array: 0.02, eff: 0.75, gpuUtil: 0.5, weight: 2},
		{names: []string{"gromacs_md", "gmx_prod"}, exes: []string{"gmx_mpi"}, project: "md-membrane",
			kind: kindGPU, shape: shapeMPI, cpus: [2]int{8, 16}, gpus: [2]int{1, 2}, memCPU: 2, hours: 30, sigma: 0.5,
			eff: 0.9, gpuUtil: 0.85, weight: 1.5},
		{names: []string{"cryosparc_job"}, exes: []string{"python"}, project: "cryoem-ribosome",
			kind: kindGPU, shape: shapeBatch, cpus: [2]int{4, 8}, gpus: [2]int{1, 4}, memCPU: 8, hours: 6, sigma: 0.7,
			eff: 0.5, gpuUtil: 0.7, exclusive: 0.25, weight: 1},
		{names: []string{"ctffind", "motioncor"}, exes: []string{"ctffind"}, project: "cryoem-ribosome",
			kind: kindCPU, shape: shapeBatch, cpus: [2]int{4, 16}, memCPU: 2, hours: 0.7, sigma: 0.5,
			array: 0.03, eff: 0.85, weight: 1},
		interactive,
	},
	{ // ml
		{names: []string{"train_resnet", "train_vit", "train_unet"}, exes: []string{"python"}, project: "vision",
			kind: kindGPU, shape: shapeBatch, cpus: [2]int{8, 12}, gpus: [2]int{1, 4}, memCPU: 8, hours: 10, sigma: 0.8,
			eff: 0.35, gpuUtil: 0.85, exclusive: 0.3, weight: 3},
		{names: []string{"finetune_llm", "lora_finetune"}, exes: []string{"torchrun"}, project: "llm",
			kind: kindGPU, shape: shapeMPI, cpus: [2]int{8, 12}, gpus: [2]int{4, 4}, memCPU: 8, hours: 30, sigma: 0.6,
			eff: 0.3, gpuUtil: 0.9, exclusive: 0.8, weight: 1},
		{names: []string{"hparam_sweep", "optuna_trial"}, exes: []string{"python"}, project: "vision",
			kind: kindGPU, shape: shapeBatch, cpus: [2]int{4, 8}, gpus: [2]int{1, 1}, memCPU: 6, hours: 1.5, sigma: 0.6,
			array: 0.06, eff: 0.4, gpuUtil: 0.6, weight: 2.5},
		{names: []string{"jupyter", "sys/dashboard/sys/jupyter"}, exes: []string{"jupyter-lab"}, project: "notebooks",
			kind: kindGPU, shape: shapeBatch, cpus: [2]int{4, 8}, gpus: [2]int{1, 2}, memCPU: 8, hours: 6, sigma: 0.6,
			eff: 0.05, gpuUtil: 0.1, weight: 1.2},
		{names: []string{"preprocess_data", "tokenize corpus"}, exes: []string{"python"}, project: "llm",
			kind: kindCPU, shape: shapeBatch, cpus: [2]int{8, 64}, memCPU: 4, hours: 2, sigma: 0.7,
			eff: 0.5, weight: 1.5},
		{names: []string{"eval_model", "test run"}, exes: []string{"python"}, project: "vision",
			kind: kindGPU, shape: shapeBatch, cpus: [2]int{4, 8}, gpus: [2]int{1, 1}, memCPU: 6, hours: 0.5, sigma: 0.6,
			eff: 0.5, gpuUtil: 0.7, weight: 1},
		interactive,
	},
	{ // epidemiology
		{names: []string{"seir_sweep", "seir_fit"}, exes: []string{"Rscript"}, project: "seir",
			kind: kindCPU, shape: shapeBatch, cpus: [2]int{1, 4}, memCPU: 2, hours: 0.5, sigma: 0.6,
			array: 0.05, eff: 0.95, weight: 4},
		{names: []string{"abm_sim", "covasim_run"}, exes: []string{"python", "Rscript"}, project: "abm",
			kind: kindCPU, shape: shapePipeline, cpus: [2]int{16, 64}, memCPU: 2, hours: 6, sigma: 0.6,
			eff: 0.7, weight: 1.5},
		{names: []string{"r_bootstrap", "stan fit", "modèle_épidémie"}, exes: []string{"Rscript"}, project: "données",
			kind: kindCPU, shape: shapeBatch, cpus: [2]int{4, 16}, memCPU: 4, hours: 2, sigma: 0.7,
			eff: 0.85, weight: 2},
		{names: []string{"análisis_datos", "données_brutes"}, exes: []string{"Rscript"}, project: "données",
			kind: kindCPU, shape: shapeBatch, cpus: [2]int{1, 2}, memCPU: 4, hours: 0.3, sigma: 0.8,
			eff: 0.6, weight: 1},
		interactive,
	},
}
