package slurm

import "fmt"

// jsonMeta is what labcarbon reads of the "meta" object of sacct --json:
//
//	openapi/dbv0.0.37, .38  {"plugin": {"type": "openapi/dbv0.0.38"}, "Slurm": {"release": "22.05.8"}}
//	data_parser/v0.0.39     {"plugins": {"data_parser": "data_parser/v0.0.39"}, "Slurm": {"release": ...}}
//	data_parser/v0.0.40 on  {"plugin": {"data_parser": "data_parser/v0.0.40"}, "slurm": {"release": ...}}
//
// (encoding/json matches "Slurm" and "slurm" alike).
type jsonMeta struct {
	Plugin struct {
		Type       string `json:"type"`
		DataParser string `json:"data_parser"`
	} `json:"plugin"`
	Plugins struct {
		DataParser string `json:"data_parser"`
	} `json:"plugins"`
	Slurm struct {
		Release string `json:"release"`
	} `json:"slurm"`
}

// setMeta notes what wrote the JSON.
func (r *JSONReader) setMeta(m *jsonMeta) {
	r.stats.Plugin = m.Plugin.DataParser
	if r.stats.Plugin == "" {
		r.stats.Plugin = m.Plugins.DataParser
	}
	if r.stats.Plugin == "" {
		r.stats.Plugin = m.Plugin.Type
	}
	r.stats.Release = m.Slurm.Release
	r.startIsEligible = startIsEligible(m.Slurm.Release, m.Plugin.Type)
}

// startIsEligible reports whether a Slurm release writes a job's eligible
// time as its time.start: openapi/dbv0.0.37 (21.08) and dbv0.0.38 before
// 22.05.8 read the wrong field of the job record (SchedMD commit
// 5df85553a1, "fix time/start field for job parser"). Steps are not
// affected.
func startIsEligible(release, plugin string) bool {
	var major, minor, micro int
	n, _ := fmt.Sscanf(release, "%d.%d.%d", &major, &minor, &micro)
	switch {
	case n >= 2 && major == 21 && minor == 8:
		return true
	case n == 3 && major == 22 && minor == 5:
		return micro < 8
	case n == 0:
		return plugin == "openapi/dbv0.0.37"
	}
	return false
}
