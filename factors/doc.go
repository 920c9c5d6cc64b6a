// Package factors is the pipeline stage that matches each usage record to
// the physical facts that turn it into energy and emissions: the hardware it
// ran on, the site's overheads and the grid that fed it.
//
// It has two parts.
//
// The Catalog is reference data compiled into the binary (data/*.csv, see
// data/README.md for the schema, derivation and attribution): CPU and GPU
// power, memory power, grid carbon intensity by zone and year, PUE defaults,
// embodied emissions and familiar equivalents. Every row carries its source,
// a reference to that source, its licence and its year, and a low, central
// and high value where sources disagree, so a report can show an auditor
// where each number came from and how sure it is.
//
// The Resolver applies a lab's configuration to the Catalog, one record at a
// time:
//
//  1. find the record's cluster (by name), and through it the site;
//  2. find its node type: the cluster's partition rules in order, a rule with
//     a node pattern matching only when every node of the job is in it, then
//     the cluster's default node type, then a generic node;
//  3. find watts: a node type's override, else the catalog model's TDP
//     (CPU: TDP ÷ cores, unrounded; GPU: TDP), and memory watts per GB;
//  4. find PUE (the site's, else the catalog default with its range) and
//     grid intensity (the site's fixed value, else the catalog's annual
//     average for the site's zone in the year the job ran, weighted by run
//     time for a job that crosses New Year), and the site's market-based
//     factor if it has one;
//  5. find the node's embodied emissions per hour of its life: the server
//     (base, sockets, memory, one SSD) and its GPUs, over its lifetime.
//
// A lab overrides or extends any catalog row with a directory of CSV files
// in the catalog's own schema (LoadWith); the catalog's version then says
// so.
//
// Whenever a step falls back, the Assignment carries a warning that names the
// cluster, partition or model, and the Resolver counts the jobs each warning
// touched, so a run summary can say "partition debug: no rule, generic node,
// 1,204 jobs". Nothing is ever silently zero.
package factors
