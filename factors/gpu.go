package factors

import (
	"fmt"
	"slices"
	"strings"

	"labcarbon"
)

// GPU is one accelerator model of the catalog.
type GPU struct {
	// Model is the canonical name, such as "NVIDIA A100 SXM4 80GB".
	Model  string
	Vendor string
	// Family is the product, such as "A100"; embodied figures are per family.
	Family       string
	Architecture string
	FormFactor   string // PCIe, SXM4, OAM, ...: the same chip differs by form factor
	MemoryGB     float64
	// TDPW is the board power (central); TDPLowW and TDPHighW bound it.
	TDPW, TDPLowW, TDPHighW float64
	// IdleW and MaxW are Cloud Carbon Footprint's idle and full-load watts,
	// used by the cloud model; 0 when CCF does not list the model.
	IdleW, MaxW float64
	// RangeReason explains the bounds; empty when the sources agree.
	RangeReason string
	// AliasNote is set on a GPU returned for an ambiguous short name (such
	// as "a100"): it says which variant was assumed, and the bounds then
	// span every variant the name may mean.
	AliasNote string
	Provenance
}

// Watts returns the board power range of one GPU at full load.
func (g GPU) Watts() labcarbon.Range {
	return labcarbon.Range{Low: g.TDPLowW, Central: g.TDPW, High: g.TDPHighW}
}

// gpuAlias is a short or alternative name and the model it stands for.
type gpuAlias struct {
	model     int   // index into Catalog.gpus
	ambiguous []int // other models the name may mean
	note      string
	Provenance
}

func readGPUs(t *table) ([]GPU, error) {
	var gpus []GPU
	err := t.each(func(r *row) {
		g := GPU{
			Model:        r.str("model"),
			Vendor:       r.str("vendor"),
			Family:       r.str("family"),
			Architecture: r.str("architecture"),
			FormFactor:   r.str("form_factor"),
			MemoryGB:     r.float("memory_gb"),
			IdleW:        r.optFloat("idle_w"),
			MaxW:         r.optFloat("max_w"),
			RangeReason:  r.str("range_reason"),
			Provenance:   readProvenance(r),
		}
		g.TDPW, g.TDPLowW, g.TDPHighW = readRange(r, "tdp_w", "tdp_low_w", "tdp_high_w")
		switch {
		case g.Model == "":
			r.fail("model", errEmpty)
		case g.Family == "":
			r.fail("family", errEmpty)
		case g.TDPW <= 0:
			r.fail("tdp_w", fmt.Errorf("TDP %g W", g.TDPW))
		case g.IdleW > g.MaxW:
			r.fail("idle_w", fmt.Errorf("idle %g W above max %g W", g.IdleW, g.MaxW))
		}
		gpus = append(gpus, g)
	})
	return gpus, err
}

// gpuNoise are words that nvidia-smi, Slurm GRES autodetection and vendor
// pages add or leave out of the same GPU's name.
var gpuNoise = map[string]bool{
	"nvidia": true, "amd": true, "tesla": true, "instinct": true, "geforce": true,
	"gpu": true, "generation": true, "graphics": true,
}

// gpuKey reduces a GPU name to the form lookups compare: lower-case words
// without vendor and marketing words, "80 GB" joined to "80gb", in sorted
// order. Word order differs between sources ("A100 80GB PCIe", "A100 PCIe
// 80GB", "nvidia_a100_80gb_pcie"), so the words are compared as a set.
func gpuKey(name string) string {
	words := strings.FieldsFunc(strings.ToLower(name), func(c rune) bool {
		return !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9')
	})
	out := words[:0]
	for i := 0; i < len(words); i++ {
		w := words[i]
		if gpuNoise[w] {
			continue
		}
		if w == "gb" && len(out) > 0 && isNumber(out[len(out)-1]) {
			out[len(out)-1] += "gb"
			continue
		}
		out = append(out, w)
	}
	slices.Sort(out)
	return strings.Join(out, " ")
}

func isNumber(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// readGPUAliases reads gpu_aliases.csv against the models already read.
func readGPUAliases(t *table, gpus []GPU) (map[string]gpuAlias, error) {
	byModel := make(map[string]int, len(gpus))
	for i, g := range gpus {
		byModel[g.Model] = i
	}
	aliases := make(map[string]gpuAlias)
	err := t.each(func(r *row) {
		name, model := r.str("alias"), r.str("model")
		a := gpuAlias{note: r.str("note"), Provenance: readProvenance(r)}
		i, ok := byModel[model]
		if !ok {
			r.fail("model", fmt.Errorf("unknown model %q", model))
			return
		}
		a.model = i
		for _, m := range r.list("ambiguous_with") {
			j, ok := byModel[m]
			if !ok {
				r.fail("ambiguous_with", fmt.Errorf("unknown model %q", m))
				return
			}
			a.ambiguous = append(a.ambiguous, j)
		}
		k := gpuKey(name)
		if k == "" {
			r.fail("alias", errEmpty)
			return
		}
		if _, dup := aliases[k]; dup {
			r.fail("alias", fmt.Errorf("%q duplicates another alias", name))
			return
		}
		aliases[k] = a
	})
	return aliases, err
}

// indexGPUs maps every model's key to its row. Aliases are looked up first,
// so an alias may deliberately share a model's key to attach an ambiguity
// note to it.
func indexGPUs(gpus []GPU) (map[string]int, error) {
	idx := make(map[string]int, len(gpus))
	for i, g := range gpus {
		k := gpuKey(g.Model)
		if j, dup := idx[k]; dup {
			return nil, fmt.Errorf("gpus.csv: %q and %q have the same lookup key %q", gpus[j].Model, g.Model, k)
		}
		idx[k] = i
	}
	return idx, nil
}

// GPU returns the catalog's model for name: a canonical model name, an
// nvidia-smi name ("NVIDIA A100-SXM4-80GB"), a Slurm GRES type
// ("nvidia_a100_80gb_pcie", "a100_80gb") or a short name ("a100", "h100",
// "v100"). A short name that may mean several variants resolves to a
// documented default (data/gpu_aliases.csv: the SXM board for A100, H100 and
// V100, since HGX systems dominate HPC); the returned GPU then has AliasNote
// set and bounds that span every variant.
func (c *Catalog) GPU(name string) (GPU, bool) {
	k := gpuKey(name)
	if a, ok := c.gpuAliases[k]; ok {
		g := c.gpus[a.model]
		if len(a.ambiguous) == 0 {
			return g, true
		}
		names := []string{g.Model}
		for _, j := range a.ambiguous {
			o := c.gpus[j]
			g.TDPLowW = min(g.TDPLowW, o.TDPLowW)
			g.TDPHighW = max(g.TDPHighW, o.TDPHighW)
			names = append(names, o.Model)
		}
		g.AliasNote = fmt.Sprintf("GPU type %q may be %s; assumed %s (%g W)",
			name, strings.Join(names, ", "), g.Model, g.TDPW)
		if a.note != "" {
			g.AliasNote += ": " + a.note
		}
		g.RangeReason = joinReasons(g.RangeReason, fmt.Sprintf("name %q is ambiguous; range spans its variants", name))
		return g, true
	}
	i, ok := c.gpuIndex[k]
	if !ok {
		return GPU{}, false
	}
	return c.gpus[i], true
}

// GPUs lists every GPU model in catalog order.
func (c *Catalog) GPUs() []GPU { return slices.Clone(c.gpus) }

func joinReasons(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}
