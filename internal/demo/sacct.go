package demo

import (
	"math"
	"strconv"
	"time"
)

// Header is the first line Generate writes: the field list of
// `sacct -P -o ...` that the demo data answers, in sacct's canonical
// spelling.
const Header = "JobID|JobIDRaw|User|UID|Group|Account|Partition|QOS|Cluster|State|ExitCode|Submit|Start|End|Elapsed|ElapsedRaw|TimelimitRaw|NNodes|NCPUS|NTasks|NodeList|ReqMem|ReqTRES|AllocTRES|TotalCPU|MaxRSS|TRESUsageInTot|ConsumedEnergyRaw|WorkDir|JobName"

// Units of sacct's size conversion, as powers of 1024 from the value's base
// unit: RSS is counted in bytes, requested memory in MiB.
const (
	unitBytes = 0
	unitMiB   = 2
)

// appendSize formats v the way sacct's convert_num_unit2 does with its
// default CONVERT_NUM_UNIT_EXACT flag: divide by 1024 while the value stays
// exact to a half unit, then print an integer or two decimals with the unit
// letter. Reproducing the quirks (1536K becomes 1.50M, 64000M becomes
// 62.50G) is the point: parsers must meet what real sacct prints.
func appendSize(b []byte, v float64, unit int) []byte {
	if int64(v) == 0 {
		return append(b, '0')
	}
	for v >= 1024 && uint64(v)%512 == 0 {
		v /= 1024
		unit++
	}
	const letters = "\x00KMGTP?"
	if unit > len(letters)-1 {
		unit = len(letters) - 1
	}
	if i := uint64(v); float64(i) == v {
		b = strconv.AppendUint(b, i, 10)
	} else {
		b = strconv.AppendFloat(b, v, 'f', 2, 64)
	}
	if unit > 0 {
		b = append(b, letters[unit])
	}
	return b
}

// append2 appends n as two digits, zero padded.
func append2(b []byte, n int64) []byte {
	return append(b, byte('0'+n/10), byte('0'+n%10))
}

// appendElapsed formats seconds like sacct's Elapsed (secs2time_str):
// HH:MM:SS, with an unpadded day count in front from one day on.
func appendElapsed(b []byte, secs int64) []byte {
	if d := secs / 86400; d > 0 {
		b = strconv.AppendInt(b, d, 10)
		b = append(b, '-')
	}
	b = append2(b, secs/3600%24)
	b = append(b, ':')
	b = append2(b, secs/60%60)
	b = append(b, ':')
	return append2(b, secs%60)
}

// appendCPU formats CPU time in microseconds like sacct's TotalCPU
// (_elapsed_time): D-HH:MM:SS from a day, HH:MM:SS from an hour (the
// milliseconds dropped), MM:SS.mmm below an hour when there are
// milliseconds, else 00:MM:SS.
func appendCPU(b []byte, usec int64) []byte {
	secs, ms := usec/1e6, usec%1e6/1000
	switch {
	case secs >= 3600:
		return appendElapsed(b, secs)
	case ms > 0:
		b = append2(b, secs/60)
		b = append(b, ':')
		b = append2(b, secs%60)
		b = append(b, '.')
		return append(b, byte('0'+ms/100), byte('0'+ms/10%10), byte('0'+ms%10))
	default:
		b = append(b, '0', '0', ':')
		b = append2(b, secs/60)
		b = append(b, ':')
		return append2(b, secs%60)
	}
}

// clock formats Unix times as sacct's UTC timestamps. Consecutive times of
// a job fall on the same day, so it keeps the date of the last one instead
// of asking the time package for every field.
type clock struct {
	day  int64
	date [11]byte // YYYY-MM-DDT
}

func newClock() clock { return clock{day: math.MinInt64} }

// append appends t (Unix seconds, not before 1970) as YYYY-MM-DDTHH:MM:SS.
func (c *clock) append(b []byte, t int64) []byte {
	day := t / 86400
	if day != c.day {
		y, m, d := time.Unix(day*86400, 0).UTC().Date()
		c.date = [11]byte{
			byte('0' + y/1000), byte('0' + y/100%10), byte('0' + y/10%10), byte('0' + y%10), '-',
			byte('0' + int(m)/10), byte('0' + int(m)%10), '-',
			byte('0' + d/10), byte('0' + d%10), 'T',
		}
		c.day = day
	}
	b = append(b, c.date[:]...)
	s := t - day*86400
	b = append2(b, s/3600)
	b = append(b, ':')
	b = append2(b, s/60%60)
	b = append(b, ':')
	return append2(b, s%60)
}

// appendHostlist writes the nodes with the given indexes (ascending, from 1)
// in Slurm's hostlist syntax: cpu017 for one node, cpu[003-006,011] for
// several, numbers zero-padded to width.
func appendHostlist(b []byte, prefix string, width int, nodes []int) []byte {
	b = append(b, prefix...)
	if len(nodes) == 1 {
		return appendPadded(b, nodes[0], width)
	}
	b = append(b, '[')
	for i := 0; i < len(nodes); {
		j := i
		for j+1 < len(nodes) && nodes[j+1] == nodes[j]+1 {
			j++
		}
		if i > 0 {
			b = append(b, ',')
		}
		b = appendPadded(b, nodes[i], width)
		if j > i {
			b = append(b, '-')
			b = appendPadded(b, nodes[j], width)
		}
		i = j + 1
	}
	return append(b, ']')
}

// appendPadded appends n in decimal, zero-padded to width digits.
func appendPadded(b []byte, n, width int) []byte {
	var buf [20]byte
	s := strconv.AppendInt(buf[:0], int64(n), 10)
	for k := len(s); k < width; k++ {
		b = append(b, '0')
	}
	return append(b, s...)
}
