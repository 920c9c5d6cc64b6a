// Package demo generates the demo data set: what `sacct -P` prints for a
// quarter of work on a small research cluster, so that `labcarbon demo`
// and the tests can run the whole pipeline without a Slurm installation.
//
// The data follows a lab, not a random table. Forty researchers in six
// groups (Roster, Groups) submit the work their fields run — read
// alignment and genome assembly, fMRI preprocessing, WRF and CESM over
// several nodes, cryo-EM refinement and AlphaFold on GPUs, model training,
// epidemic sweeps — to the cpu, gpu and highmem partitions of the cluster
// hydra (Partitions). Each researcher has habits (Profile): some are
// efficient, some ask for many cores and run serial code, ask for ten
// times the memory they use, hold GPUs they barely touch, or resubmit a
// pipeline that keeps running out of memory. The reports and
// recommendations built on the data therefore have stories to find.
//
// The output is what real sacct prints, quirks included (see the
// project's research notes on Slurm accounting): a job line followed by
// its .batch, .extern and srun steps; array tasks as 4242_7 with ids of
// their own except the task that keeps the array's; TotalCPU summed over
// completed steps in sacct's mixed formats; sizes in sacct's exact binary
// units (62.50G); CANCELLED by <uid>, with Start None when cancelled while
// pending; TIMEOUT batch steps CANCELLED 0:15; OUT_OF_MEMORY 0:125; jobs
// still running at the end of the period with End Unknown; measured energy
// only where Slurm would have it (whole GPU nodes with an energy plugin).
//
// Generation is deterministic for a seed and streams with constant memory,
// so the same code makes the 6,000-job demo and million-job benchmarks.
package demo
