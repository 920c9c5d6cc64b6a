package slurm

import (
	"fmt"
	"strconv"
)

// Unit is what a size without a suffix counts: sacct scales RSS and disk
// sizes starting from bytes, but requested memory and the mem= of
// allocation TRES starting from MiB.
type Unit float64

// The base units sacct size fields use.
const (
	Bytes Unit = 1
	MiB   Unit = 1 << 20
)

// maxSize bounds sizes (a zebibyte): anything larger is corrupt, and
// refusing it keeps products of sizes and counts finite.
const maxSize = 1 << 70

// GiB is the gigabyte labcarbon reports memory in, as Slurm counts it.
const GiB = 1 << 30

// ParseSize returns the number of bytes a sacct size denotes. Sizes are a
// number, possibly with a fraction (312.50G), and an optional binary suffix
// K, M, G, T, P or E (KiB, MiB, ...: sacct divides by 1024); with no suffix
// the number counts base units, so "2000" is 2000 bytes of RSS but 2000 MiB
// of requested memory. The empty string is 0: sacct prints nothing
// where it measured nothing, and callers that must tell "nothing" from "0"
// look at the string first.
func ParseSize(s string, base Unit) (float64, error) {
	if s == "" {
		return 0, nil
	}
	num, scale := s, float64(base)
	if m, ok := suffixScale(s[len(s)-1]); ok {
		num, scale = s[:len(s)-1], m
	}
	v, ok := parseUnsigned(num)
	if !ok {
		return 0, fmt.Errorf("bad size %q: want a number with an optional K, M, G, T or P suffix", clip(s))
	}
	if v*scale > maxSize {
		return 0, fmt.Errorf("size %q out of range", clip(s))
	}
	return v * scale, nil
}

// suffixScale returns the factor of a size suffix. sacct prints upper case;
// lower case is accepted because hand-made column lists and other tools use
// it and it cannot mean anything else.
func suffixScale(c byte) (float64, bool) {
	switch c {
	case 'K', 'k':
		return 1 << 10, true
	case 'M', 'm':
		return 1 << 20, true
	case 'G', 'g':
		return 1 << 30, true
	case 'T', 't':
		return 1 << 40, true
	case 'P', 'p':
		return 1 << 50, true
	case 'E', 'e':
		return 1 << 60, true
	}
	return 0, false
}

// parseUnsigned parses a non-negative decimal number with an optional
// fraction. It refuses what strconv.ParseFloat would also take (signs,
// exponents, hex, "Inf", "NaN", underscores), none of which sacct prints, so
// a shifted column is caught instead of read as a number.
func parseUnsigned(s string) (float64, bool) {
	if s == "" || s[0] == '.' || s[len(s)-1] == '.' {
		return 0, false
	}
	dot := false
	intOnly := len(s) <= 18
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
		case c == '.' && !dot:
			dot, intOnly = true, false
		default:
			return 0, false
		}
	}
	if intOnly {
		n, _ := atoiDigits(s)
		return float64(n), true
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, false
	}
	return v, true
}

// MemPer tells what a requested memory amount is counted per.
type MemPer uint8

// What ReqMem counts per. Slurm up to 20.11 printed per-CPU (suffix c) or
// per-node (suffix n) amounts; from 21.08 it prints the job's total.
const (
	PerJob MemPer = iota
	PerCPU
	PerNode
)

// ReqMem is a job's requested memory as sacct's ReqMem prints it.
type ReqMem struct {
	Bytes float64 // per Per
	Per   MemPer
}

// ParseReqMem parses ReqMem in both of its forms: the old per-CPU or
// per-node amounts (4000Mc, 16000Mn, 100Gn) and the total of Slurm 21.08 and
// later (32G, 125000M). A bare number counts MiB, as sacct's base unit for
// requested memory is MiB.
func ParseReqMem(s string) (ReqMem, error) {
	var m ReqMem
	if s == "" {
		return m, nil
	}
	switch s[len(s)-1] {
	case 'c':
		m.Per, s = PerCPU, s[:len(s)-1]
	case 'n':
		m.Per, s = PerNode, s[:len(s)-1]
	}
	b, err := ParseSize(s, MiB)
	if err != nil || s == "" {
		return ReqMem{}, fmt.Errorf("bad ReqMem %q: want e.g. 32G, 4000Mc or 16000Mn", clip(s))
	}
	m.Bytes = b
	return m, nil
}

// TotalGB returns the job's total requested memory in GB (2^30 bytes),
// multiplying per-CPU amounts by cpus and per-node amounts by nodes. It
// returns 0 when the count it needs is unknown (0), rather than guess.
func (m ReqMem) TotalGB(cpus, nodes int) float64 {
	gb := m.Bytes / GiB
	switch m.Per {
	case PerCPU:
		return gb * float64(cpus)
	case PerNode:
		return gb * float64(nodes)
	}
	return gb
}
