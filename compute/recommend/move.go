package recommend

import (
	"strings"

	"labcarbon"
)

// Move proposes running a job somewhere else for the same work: another
// partition today; a cloud region or a newer instance family later. The
// engine resolves the moved usage's factors afresh and re-runs the
// emissions model on it, so a Move only says where, never what it saves.
type Move interface {
	// Rule names the recommendation the move makes; each Move needs its
	// own.
	Rule() Rule
	// Apply returns u as it would run after the move and ok; ok is false
	// when the move does not apply to u. It must not modify u.
	Apply(u *labcarbon.Usage) (moved labcarbon.Usage, ok bool)
}

// PartitionMove is the lab's table of better partitions: "cluster/
// partition" → "partition" (same cluster) or "cluster/partition".
type PartitionMove map[string]string

// Rule returns RulePartition.
func (PartitionMove) Rule() Rule { return RulePartition }

// Apply moves u to the partition its cluster/partition maps to. The node
// list and the typed GPU model are cleared: they describe the old
// partition's nodes, and the resolver must match the new one's.
func (m PartitionMove) Apply(u *labcarbon.Usage) (labcarbon.Usage, bool) {
	to, ok := m[u.Cluster+"/"+u.Partition]
	if !ok || to == "" {
		return labcarbon.Usage{}, false
	}
	v := *u
	if c, p, ok := strings.Cut(to, "/"); ok {
		v.Cluster, v.Partition = c, p
	} else {
		v.Partition = to
	}
	if v.Cluster == u.Cluster && v.Partition == u.Partition {
		return labcarbon.Usage{}, false
	}
	v.NodeList, v.GPUModel = "", ""
	return v, true
}

// where names a job's place for Change: cluster/partition.
func where(u *labcarbon.Usage) string { return u.Cluster + "/" + u.Partition }
