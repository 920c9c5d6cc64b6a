package factors

import (
	"errors"
	"fmt"
	"math"
	"strings"

	"labcarbon"
	"labcarbon/internal/hostlist"
)

// This file turns a labcarbon.Lab into the resolved, validated form the
// Resolver works from, so every configuration problem is found once, at
// NewResolver, and never per job.

// nodeInfo is a node type with its watts resolved against the catalog.
type nodeInfo struct {
	name     string
	cpuModel string
	cpuW     labcarbon.Range
	gpuModel string
	gpuW     labcarbon.Range
	hasGPU   bool // the node type fixes the GPU (model or watts)
	cores    int  // physical cores per node; 0 when the config does not say
	// sockets, gpus and memGB describe one node for its share and its
	// embodied emissions; 0 when the config does not say.
	sockets  int
	gpus     int
	memGB    float64
	warnings []string
}

// siteInfo is a site with its PUE resolved.
type siteInfo struct {
	name    string
	zone    string
	pue     labcarbon.Range
	fixedCI float64
	// marketCI is the supplier's emission factor (Scope 2 market-based),
	// valid when hasMarketCI: a fully renewable contract is a real 0.
	marketCI    float64
	hasMarketCI bool
	warnings    []string
}

// ruleInfo is one partition rule with its node pattern parsed.
type ruleInfo struct {
	n         int // 1-based position in the cluster's rules
	partition string
	nodesText string
	nodes     hostlist.Pattern
	node      *nodeInfo
}

// clusterInfo is a cluster with everything it refers to resolved.
type clusterInfo struct {
	name  string
	site  *siteInfo
	rules []ruleInfo
	def   *nodeInfo
	trust bool
	// nodeParts lists partitions some rule restricts by node pattern, so
	// their matches depend on the job's node list; wildNodes says a
	// wildcard rule does, which makes every partition depend on it.
	nodeParts map[string]bool
	wildNodes bool
}

func (c *clusterInfo) nodesMatter(partition string) bool {
	return c.wildNodes || c.nodeParts[partition]
}

// wildcard reports whether a rule's partition matches every partition.
func wildcard(p string) bool { return p == "" || p == "*" }

// resolveLab validates lab against cat and resolves its references. It
// reports every problem it finds, not only the first, so a lab fixes its
// config in one pass.
func resolveLab(cat *Catalog, lab labcarbon.Lab) (map[string]*clusterInfo, error) {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }

	sites := make(map[string]*siteInfo, len(lab.Sites))
	for _, s := range lab.Sites {
		if _, dup := sites[s.Name]; dup {
			bad("site %q is defined twice", s.Name)
			continue
		}
		si, err := resolveSite(cat, s)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		sites[s.Name] = si
	}

	nodes := make(map[string]*nodeInfo, len(lab.NodeTypes))
	for _, nt := range lab.NodeTypes {
		if _, dup := nodes[nt.Name]; dup {
			bad("node type %q is defined twice", nt.Name)
			continue
		}
		ni, err := resolveNodeType(cat, nt)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		nodes[nt.Name] = ni
	}

	clusters := make(map[string]*clusterInfo, len(lab.Clusters))
	for _, cl := range lab.Clusters {
		if _, dup := clusters[cl.Name]; dup {
			bad("cluster %q is defined twice", cl.Name)
			continue
		}
		ci := &clusterInfo{name: cl.Name, trust: cl.TrustMeasuredEnergy, nodeParts: make(map[string]bool)}
		var ok bool
		if ci.site, ok = sites[cl.Site]; !ok {
			bad("cluster %q: unknown site %q", cl.Name, cl.Site)
		}
		if cl.DefaultNodeType != "" {
			if ci.def, ok = nodes[cl.DefaultNodeType]; !ok {
				bad("cluster %q: unknown default node type %q", cl.Name, cl.DefaultNodeType)
			}
		}
		for i, p := range cl.Partitions {
			ri := ruleInfo{n: i + 1, partition: p.Partition, nodesText: strings.TrimSpace(p.Nodes)}
			if ri.node, ok = nodes[p.NodeType]; !ok {
				bad("cluster %q partition rule %d (%s): unknown node type %q", cl.Name, i+1, p.Partition, p.NodeType)
			}
			if ri.nodesText != "" {
				pat, err := hostlist.Parse(ri.nodesText)
				if err != nil {
					bad("cluster %q partition rule %d (%s): nodes: %w", cl.Name, i+1, p.Partition, err)
				} else if pat.Empty() {
					bad("cluster %q partition rule %d (%s): nodes %q names no node", cl.Name, i+1, p.Partition, ri.nodesText)
				}
				ri.nodes = pat
				if wildcard(p.Partition) {
					ci.wildNodes = true
				} else {
					ci.nodeParts[p.Partition] = true
				}
			}
			ci.rules = append(ci.rules, ri)
		}
		clusters[cl.Name] = ci
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("lab %q: %w", lab.Name, errors.Join(errs...))
	}
	return clusters, nil
}

func resolveSite(cat *Catalog, s labcarbon.Site) (*siteInfo, error) {
	si := &siteInfo{name: s.Name, zone: s.Zone, fixedCI: s.CIgPerKWh, marketCI: s.MarketCIgPerKWh, hasMarketCI: s.HasMarketCI}
	if s.HasMarketCI && (s.MarketCIgPerKWh < 0 || math.IsNaN(s.MarketCIgPerKWh) || math.IsInf(s.MarketCIgPerKWh, 0)) {
		return nil, fmt.Errorf("site %q: market-based grid intensity %g is not a non-negative number", s.Name, s.MarketCIgPerKWh)
	}
	switch {
	case s.CIgPerKWh < 0:
		return nil, fmt.Errorf("site %q: negative grid intensity %g", s.Name, s.CIgPerKWh)
	case s.CIgPerKWh == 0 && s.Zone == "":
		return nil, fmt.Errorf("site %q: needs a grid zone or a fixed grid intensity", s.Name)
	case s.CIgPerKWh == 0:
		z, ok := cat.Zone(s.Zone)
		if !ok {
			return nil, fmt.Errorf("site %q: grid zone %q is not in the factor catalog", s.Name, s.Zone)
		}
		si.zone = z.ID
	}
	switch {
	case s.PUE == 0:
		d := cat.DefaultPUE()
		si.pue = d.Range()
		si.warnings = append(si.warnings, fmt.Sprintf("site %s sets no PUE: used the default %g (%s), range %g–%g",
			s.Name, d.Value, d.Source, d.Low, d.High))
	case s.PUE < 1:
		return nil, fmt.Errorf("site %q: PUE %g is below 1", s.Name, s.PUE)
	default:
		si.pue = labcarbon.Point(s.PUE)
	}
	return si, nil
}

func resolveNodeType(cat *Catalog, nt labcarbon.NodeType) (*nodeInfo, error) {
	ni := &nodeInfo{name: nt.Name, cpuModel: nt.CPUModel, gpuModel: nt.GPUModel, cores: nt.Sockets * nt.CoresPerSocket,
		sockets: nt.Sockets, gpus: nt.GPUs, memGB: nt.MemGB}
	switch {
	case nt.Sockets < 0 || nt.CoresPerSocket < 0:
		return nil, fmt.Errorf("node type %q: negative sockets or cores per socket", nt.Name)
	case nt.GPUs < 0:
		return nil, fmt.Errorf("node type %q: negative gpus %d", nt.Name, nt.GPUs)
	case nt.MemGB < 0 || math.IsNaN(nt.MemGB) || math.IsInf(nt.MemGB, 0):
		return nil, fmt.Errorf("node type %q: memory %g GB is not a non-negative number", nt.Name, nt.MemGB)
	}
	switch cpu, known := cat.CPU(nt.CPUModel); {
	case nt.CPUWattsPerCore < 0:
		return nil, fmt.Errorf("node type %q: negative cpu_watts_per_core %g", nt.Name, nt.CPUWattsPerCore)
	case nt.CPUWattsPerCore > 0:
		ni.cpuW = labcarbon.Point(nt.CPUWattsPerCore)
		if known {
			ni.cpuModel = cpu.Model
		}
	case nt.CPUModel == "":
		return nil, fmt.Errorf("node type %q: names no CPU model and gives no cpu_watts_per_core", nt.Name)
	case !known:
		return nil, fmt.Errorf("node type %q: CPU model %q is not in the factor catalog and no cpu_watts_per_core is given", nt.Name, nt.CPUModel)
	default:
		ni.cpuModel = cpu.Model
		ni.cpuW = cpu.WattsPerCore()
		if nt.CoresPerSocket > 0 && nt.CoresPerSocket != cpu.Cores {
			ni.warnings = append(ni.warnings, fmt.Sprintf(
				"node type %s: config says %d cores per socket but %s has %d; W per core is TDP ÷ %d",
				nt.Name, nt.CoresPerSocket, cpu.Model, cpu.Cores, cpu.Cores))
		}
	}

	switch gpu, known := cat.GPU(nt.GPUModel); {
	case nt.GPUWatts < 0:
		return nil, fmt.Errorf("node type %q: negative gpu_watts %g", nt.Name, nt.GPUWatts)
	case nt.GPUWatts > 0:
		ni.gpuW, ni.hasGPU = labcarbon.Point(nt.GPUWatts), true
		if known {
			ni.gpuModel = gpu.Model
		}
	case nt.GPUModel == "":
		// No GPU named: the job's own GPU type, if any, decides per job.
	case !known:
		return nil, fmt.Errorf("node type %q: GPU model %q is not in the factor catalog and no gpu_watts is given", nt.Name, nt.GPUModel)
	default:
		ni.gpuModel, ni.gpuW, ni.hasGPU = gpu.Model, gpu.Watts(), true
		if gpu.AliasNote != "" {
			ni.warnings = append(ni.warnings, "node type "+nt.Name+": "+gpu.AliasNote)
		}
	}
	return ni, nil
}

// genericNode is the node assumed when nothing in the config matches:
// Green Algorithms' "Any" CPU; the GPU is decided per job.
func genericNode(cat *Catalog) *nodeInfo {
	return &nodeInfo{name: "generic", cpuModel: "unknown", cpuW: cat.GenericCPUWattsPerCore().Range()}
}

// fallbackSite is the site assumed for a cluster the config does not name
// when it cannot be guessed: the default PUE and the world-average grid.
func fallbackSite(cat *Catalog) *siteInfo {
	return &siteInfo{name: "fallback", zone: "WORLD", pue: cat.DefaultPUE().Range()}
}
