package slurm

import (
	"fmt"
	"strconv"
	"strings"
)

// TRES is what labcarbon needs from an allocation TRES string (AllocTRES,
// ReqTRES): `billing=8,cpu=8,gres/gpu:a100=2,gres/gpu=2,mem=10G,node=1`.
type TRES struct {
	CPUs     int
	MemBytes float64
	HasMem   bool
	Nodes    int
	// GPUs is the untyped gres/gpu count when present, else the sum of the
	// typed gres/gpu:<type> counts: Slurm lists both when the GPUs are
	// typed, so adding them all would count each GPU twice.
	GPUs int
	// GPUModel is the type of gres/gpu:<type>, lower case; with several
	// types, the one with the most GPUs (the first listed on a tie). It is
	// "" when GPUs are untyped.
	GPUModel string
	// EnergyJ is energy= in joules; Slurm lists it only when an energy
	// plugin recorded something.
	EnergyJ float64
}

// ParseTRES parses an allocation or request TRES string. The items are
// matched by name, never by position, because their order follows the TRES
// ids of the site's database. Items labcarbon does not use (billing,
// license/..., fs/disk, ...) are skipped; gres/gpumem and gres/gpuutil are
// usage, not GPU counts, and are skipped too.
func ParseTRES(s string) (TRES, error) {
	var b tresBuilder
	it := tresIter{rest: s}
	for it.next() {
		if err := b.add(it.key, it.val); err != nil {
			return TRES{}, err
		}
	}
	if it.bad != "" {
		return TRES{}, it.err()
	}
	return b.done(), nil
}

// tresBuilder builds a TRES one item at a time: ParseTRES feeds it the
// items of a string, the JSON reader the entries of a TRES list, so that
// both formats count GPUs and memory the same way.
type tresBuilder struct {
	t     TRES
	typed int // GPUs counted by typed gres/gpu:<type> items
	best  int // the largest typed count, whose type names the model
}

// add takes one item: key is type[/name[:subtype]], val its count as text.
func (b *tresBuilder) add(key, val string) error {
	t := &b.t
	switch {
	case key == "cpu":
		return setCount(&t.CPUs, key, val)
	case key == "node":
		return setCount(&t.Nodes, key, val)
	case key == "mem":
		m, err := ParseSize(val, MiB)
		if err != nil {
			return fmt.Errorf("mem: %w", err)
		}
		t.MemBytes, t.HasMem = m, true
	case key == "energy":
		e, ok := parseUnsigned(val)
		if !ok {
			return fmt.Errorf("bad energy %q", clip(val))
		}
		t.EnergyJ = e
	case key == "gres/gpu":
		return setCount(&t.GPUs, key, val)
	case strings.HasPrefix(key, "gres/gpu:"):
		var n int
		if err := setCount(&n, key, val); err != nil {
			return err
		}
		b.typed += n
		if n > b.best {
			b.best, t.GPUModel = n, strings.ToLower(key[len("gres/gpu:"):])
		}
	}
	return nil
}

// done returns the TRES the items add up to.
func (b *tresBuilder) done() TRES {
	t := b.t
	if t.GPUs == 0 {
		t.GPUs = b.typed
	}
	return t
}

// TRESUsage is what labcarbon needs from a usage TRES string
// (TRESUsageInTot, TRESUsageInAve, ...), whose values are formatted per
// TRES: cpu=15:33:58,energy=0,gres/gpuutil=90,mem=1294440K. The cpu= time
// is not read: TotalCPU says the same, and --noconvert changes its form.
type TRESUsage struct {
	// MemBytes is mem=, counted from bytes (unlike allocation TRES).
	MemBytes float64
	HasMem   bool
	EnergyJ  float64
	// GPUUtil is gres/gpuutil in percent, summed over the processes' GPUs,
	// so it can exceed 100 on several GPUs. Slurm records it from 23.02.
	GPUUtil     float64
	HasGPUUtil  bool
	GPUMemBytes float64
	HasGPUMem   bool
}

// ParseTRESUsage parses a usage TRES string. Unknown items are skipped.
func ParseTRESUsage(s string) (TRESUsage, error) {
	var u TRESUsage
	it := tresIter{rest: s}
	for it.next() {
		if err := u.add(it.key, it.val); err != nil {
			return TRESUsage{}, err
		}
	}
	if it.bad != "" {
		return TRESUsage{}, it.err()
	}
	return u, nil
}

// add takes one usage item, key=val; ParseTRESUsage and the JSON reader
// share it. Unknown items are skipped.
func (u *TRESUsage) add(key, val string) error {
	var err error
	switch key {
	case "mem":
		if u.MemBytes, err = ParseSize(val, Bytes); err != nil {
			return fmt.Errorf("mem: %w", err)
		}
		u.HasMem = true
	case "energy":
		var ok bool
		if u.EnergyJ, ok = parseUnsigned(val); !ok {
			return fmt.Errorf("bad energy %q", clip(val))
		}
	case "gres/gpuutil":
		var ok bool
		if u.GPUUtil, ok = parseUnsigned(val); !ok {
			return fmt.Errorf("bad gres/gpuutil %q", clip(val))
		}
		u.HasGPUUtil = true
	case "gres/gpumem":
		if u.GPUMemBytes, err = ParseSize(val, Bytes); err != nil {
			return fmt.Errorf("gres/gpumem: %w", err)
		}
		u.HasGPUMem = true
	}
	return nil
}

// tresIter walks the key=value items of a TRES string without allocating.
// It stops at an item without "=" or with an empty key, which means the
// column does not hold a TRES string, and leaves that item in bad.
type tresIter struct {
	rest     string
	key, val string
	bad      string // the malformed item that stopped the walk
	stopped  bool
}

// next advances to the next item; it returns false at the end of the
// string or at a malformed item.
func (it *tresIter) next() bool {
	if it.rest == "" || it.stopped {
		return false
	}
	item := it.rest
	if i := strings.IndexByte(item, ','); i >= 0 {
		item, it.rest = item[:i], item[i+1:]
	} else {
		it.rest = ""
	}
	eq := strings.IndexByte(item, '=')
	if eq <= 0 {
		it.bad, it.stopped = item, true
		return false
	}
	it.key, it.val = item[:eq], item[eq+1:]
	return true
}

// err describes the malformed item that stopped the walk.
func (it *tresIter) err() error {
	return fmt.Errorf("bad TRES item %q: want type[/name[:subtype]]=value", clip(it.bad))
}

// setCount parses a TRES count into *dst.
func setCount(dst *int, key, val string) error {
	n, err := strconv.Atoi(val)
	if err != nil || n < 0 {
		return fmt.Errorf("bad %s count %q", key, clip(val))
	}
	*dst = n
	return nil
}
