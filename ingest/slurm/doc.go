// Package slurm reads Slurm accounting output into canonical usage records.
//
// The text reader (SacctReader) takes what `sacct -p` or `sacct -P` prints
// and works in four steps:
//
//  1. Header: the first line names the columns (or SacctOptions.Columns does,
//     for --noheader files). Columns are matched by name, case-insensitively,
//     in any order; columns labcarbon does not use are skipped, so a site may
//     ask sacct for more fields than we need.
//  2. Records: each line is split on the delimiter, which may be several
//     bytes. sacct never quotes, so a delimiter inside a free-text field
//     (JobName, WorkDir, ...) shifts the columns: the reader detects the
//     wrong field count and repairs it only when the one free-text column is
//     the last, quarantining the row otherwise.
//  3. Folding: one job is its job line followed by its step lines (.batch,
//     .extern, .0, ...). The job line carries the allocation; the steps carry
//     the usage (CPU time, memory peak, GPU utilisation), which is folded into
//     the job when the next job begins.
//  4. Checks: values that cannot be true (negative elapsed time, an end before
//     the start, more CPU time than the allocation allows) quarantine the job.
//
// A bad row comes back as an *ingest.RowError and reading goes on; only an
// input that is not sacct output at all, or an I/O error, stops the reader.
//
// The other two Slurm outputs have readers of their own that give the same
// record for the same job: JSONReader reads sacct --json (Slurm 21.08 and
// later), decoding one job object at a time and folding its steps with the
// text reader's rules (jobAcc); JobcompReader reads the jobcomp/filetxt log
// slurmctld writes as jobs end, which has no usage at all.
//
// The field parsers (ParseDuration, ParseSize, ParseReqMem, ParseTRES,
// ParseTRESUsage, ParseTime, ParseState, ParseJobID) are exported because
// other readers meet the same formats.
package slurm
